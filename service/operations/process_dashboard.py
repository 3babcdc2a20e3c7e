"""Where a process's cases stand: per version, how many running cases wait at each element (the diagram's
heat map), the overdue tasks per role and per person, and the median time people took per step.

Why medians over the last STEP_SAMPLE completed tasks of each step: a step's usual time is what a process
owner asks ("how long does the director take to confirm?"); a mean is dragged by the one case left over a
holiday, and the newest tasks say how the step goes now. Times are elapsed hours from the task's
opening to its completion, as the clock runs (the working-day deadlines are the inbox's business).
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from sqlalchemy import func, select

from service.domain.access import may_read_processes
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance, Timer

from .case_store import load_specs
from .context import AppContext
from .errors import Forbidden, NotFound
from .users import find_user

STEP_SAMPLE = 500


def _definition(session: Any, process_id: str, version: int | None) -> ProcessDefinition:
    query = select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
    query = query.where(ProcessDefinition.version == version) if version is not None else \
        query.order_by(ProcessDefinition.version.desc()).limit(1)
    found = session.execute(query).scalars().first()
    if found is None:
        raise NotFound("process.not_deployed", process=process_id)
    return found


def _boundary_events(ctx: AppContext, definition: ProcessDefinition) -> frozenset[str]:
    """A timer on a task's border (a reminder, an escalation) waits beside the task: the case stands at
    the task, so only the timers of catch events count as places where cases wait."""
    spec, subprocesses = load_specs(ctx, definition)
    return frozenset(name for one in (spec, *subprocesses.values()) for name, task_spec in one.task_specs.items()
                     if isinstance(task_spec, BoundaryEvent))


def _hours(opened: Any, done: Any) -> float:
    return max((done - opened).total_seconds(), 0.0) / 3600


def dashboard(ctx: AppContext, actor: str, process_id: str, version: int | None = None) -> dict[str, Any]:
    """The figures of one version (the newest unless `version`), and every version's running cases."""
    now = ctx.now()
    with ctx.db.reading() as session:
        if not may_read_processes(find_user(session, actor).role_ids):
            raise Forbidden("process_pages.read_forbidden", user=actor)
        definition = _definition(session, process_id, version)
        versions = [{"version": v, "running": int(n)} for v, n in session.execute(
            select(ProcessDefinition.version, func.count(ProcessInstance.id))
            .outerjoin(ProcessInstance, (ProcessInstance.definition_id == ProcessDefinition.id)
                       & (ProcessInstance.status == "running"))
            .where(ProcessDefinition.process_id == process_id)
            .group_by(ProcessDefinition.version).order_by(ProcessDefinition.version))]
        running = (select(ProcessInstance.id).where(ProcessInstance.definition_id == definition.id,
                                                    ProcessInstance.status == "running").subquery())
        waiting: dict[str, int] = defaultdict(int)
        for element, count in session.execute(
                select(HumanTask.element_id, func.count(func.distinct(HumanTask.instance_id)))
                .where(HumanTask.instance_id.in_(select(running.c.id)), HumanTask.status == "open")
                .group_by(HumanTask.element_id)):
            waiting[element] += int(count)
        beside_tasks = _boundary_events(ctx, definition)
        for element, count in session.execute(
                select(Timer.element_id, func.count(func.distinct(Timer.instance_id)))
                .where(Timer.instance_id.in_(select(running.c.id)), Timer.status == "pending")
                .group_by(Timer.element_id)):
            if element not in beside_tasks:
                waiting[element] += int(count)
        overdue = (select(HumanTask.role, HumanTask.assignee)
                   .where(HumanTask.instance_id.in_(select(running.c.id)), HumanTask.status == "open",
                          HumanTask.due_at.is_not(None), HumanTask.due_at < now))
        by_role: dict[str, int] = defaultdict(int)
        by_person: dict[str, int] = defaultdict(int)
        for role, assignee in session.execute(overdue):
            by_role[role or ""] += 1
            if assignee:
                by_person[assignee] += 1
        rows = session.execute(
            select(HumanTask.element_id, HumanTask.created_at, HumanTask.completed_at)
            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .where(ProcessInstance.definition_id == definition.id, HumanTask.status == "completed",
                   HumanTask.kind == "engine", HumanTask.completed_at.is_not(None))
            .order_by(HumanTask.completed_at.desc()).limit(STEP_SAMPLE * 20)).all()
    samples: dict[str, list[float]] = defaultdict(list)
    for element, opened, done in rows:
        if len(samples[element]) < STEP_SAMPLE:
            samples[element].append(_hours(opened, done))
    steps = {element: {"completed": len(hours), "median_hours": round(median(hours), 2)}
             for element, hours in samples.items()}
    return {"process_id": process_id, "version": definition.version, "name": definition.name,
            "versions": versions, "waiting": dict(waiting), "steps": steps,
            "overdue_by_role": dict(sorted(by_role.items(), key=lambda kv: -kv[1])),
            "overdue_by_person": dict(sorted(by_person.items(), key=lambda kv: -kv[1])),
            "running": sum(v["running"] for v in versions if v["version"] == definition.version)}
