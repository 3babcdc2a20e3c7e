"""The path a case took through its diagram: which elements are done (and how often), which wait now,
which were cancelled, and which sequence flows the case followed.

Read from the engine's task tree, where each task's nearest ancestor that is a diagram element is the
element the token came from: that (source, target) pair names the sequence flow of the deployed BPMN.
A loop leaves one completed task per pass in the tree. 退回 rewinds the tree instead, so the passes of
a person's task are also counted from its completed task rows (one query per case), whichever is more.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from service.engine import runner
from service.engine.xml_safety import parse_xml
from service.persistence.models import HumanTask, ProcessInstance

from .case_store import case_or_missing, load_workflow
from .context import AppContext

# a cancelled event (a boundary timer no longer needed) or gateway (a merged branch) is not news
ACTIVITIES = frozenset({"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
                        "businessRuleTask", "callActivity", "subProcess"})
_LOCK = threading.Lock()
_CACHE_ATTRIBUTE = "_diagram_shapes"  # on the AppContext: its versions, its database
REACHED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR \
    | TaskState.CANCELLED


@dataclass(frozen=True)
class DiagramShape:
    """What the path needs from a BPMN file: each element's kind and the flow between two elements."""

    kinds: dict[str, str]
    flows: dict[tuple[str, str], tuple[str, ...]]


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def diagram_shape(xml: str) -> DiagramShape:
    """Each element's kind and the sequence flows by (source, target), from the BPMN XML."""
    tree = parse_xml(xml.encode("utf-8"), "diagram.bpmn")
    kinds: dict[str, str] = {}
    flows: dict[tuple[str, str], tuple[str, ...]] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or not el.get("id"):
            continue
        kind = _local(el.tag)
        kinds[str(el.get("id"))] = kind
        if kind == "sequenceFlow" and el.get("sourceRef") and el.get("targetRef"):
            pair = (str(el.get("sourceRef")), str(el.get("targetRef")))
            flows[pair] = (*flows.get(pair, ()), str(el.get("id")))
    return DiagramShape(kinds, flows)


def _element(task: Any) -> str | None:
    return getattr(task.task_spec, "bpmn_id", None) or None


def _came_from(task: Any) -> Any:
    """The nearest ancestor that is a diagram element (engine-internal splits and joins skipped)."""
    ancestor = task.parent
    while ancestor is not None and _element(ancestor) is None:
        ancestor = ancestor.parent
    return ancestor


def _all_tasks(workflow: Any) -> Iterable[Any]:
    for wf in [workflow, *workflow.subprocesses.values()]:
        yield from wf.tasks.values()


def path_of(workflow: Any, shape: DiagramShape, done_rows: dict[str, int] | None = None) -> dict[str, Any]:
    """The path in element and flow ids; `done_rows` counts completed task rows per element (退回 history)."""
    active = {t.element_id for t in runner.ready_user_tasks(workflow)}
    active |= {t.element_id for t in runner.pending_timers(workflow)}
    passes: Counter[str] = Counter()
    cancelled: set[str] = set()
    flows: set[str] = set()
    for task in _all_tasks(workflow):
        element = _element(task)
        if element is None:
            continue
        if task.state == TaskState.COMPLETED:
            passes[element] += 1
        elif task.state == TaskState.CANCELLED and shape.kinds.get(element) in ACTIVITIES:
            cancelled.add(element)
        source = _came_from(task) if task.has_state(REACHED) else None
        if source is not None and source.state == TaskState.COMPLETED:
            flows.update(shape.flows.get((_element(source) or "", element), ()))
    for element, rows in (done_rows or {}).items():
        passes[element] = max(passes[element], rows)
    completed = set(passes) - active
    return {"completed": sorted(completed), "active": sorted(active),
            "cancelled": sorted(cancelled - completed - active),
            "flows": sorted(flows), "passes": {e: n for e, n in sorted(passes.items()) if n > 1}}


def _shape_of(ctx: AppContext, instance: ProcessInstance) -> DiagramShape:
    """The version's diagram shape, kept on the context: a version's files never change, so a page
    after the first reads neither the files nor the XML again."""
    key = (instance.process_id, instance.definition.version)
    with _LOCK:
        cache: dict[tuple[str, int], DiagramShape] = ctx.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        if key in cache:
            return cache[key]
    xml = (instance.definition.files or {}).get(f"{instance.process_id}.bpmn")
    shape = diagram_shape(str(xml)) if xml else DiagramShape({}, {})
    with _LOCK:
        cache[key] = shape
    return shape


def diagram_path(ctx: AppContext, instance_id: int) -> dict[str, Any]:
    """The case's path, for the diagram viewer of the task and case pages."""
    with ctx.db.reading() as session:
        instance = case_or_missing(session, instance_id)
        shape = _shape_of(ctx, instance)
        rows = {str(element): int(count) for element, count in session.execute(
            select(HumanTask.element_id, func.count(HumanTask.id))
            .where(HumanTask.instance_id == instance_id, HumanTask.status == "completed", HumanTask.kind == "engine")
            .group_by(HumanTask.element_id))}
        workflow = load_workflow(ctx, instance)
    return path_of(workflow, shape, rows)
