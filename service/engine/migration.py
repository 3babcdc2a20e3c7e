"""Put a running workflow on another version's specs: SpiffWorkflow's diff and migrate, kept whole.

The case's tasks take the other version's specs, matched by BPMN id; its ready and waiting tasks are
reset and their future re-predicted from the new diagram, keeping their task ids. A waiting timer
keeps the moment it was set for when its expression did not change. Live migration and replay both
call `move`, so a replayed migration does exactly what the recorded one did.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from . import runner
from .clock import engine_time
from .evaluation.budget import EvaluationLimits, engine_run
from .scripting import RestrictedScriptEngine, ServiceHandler

REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)  # how the engine compares two versions' specs
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
RESET = TaskState.READY | TaskState.WAITING  # what migrate_workflow resets and re-predicts


def workflows(workflow: BpmnWorkflow) -> list[Any]:
    return [workflow, *workflow.subprocesses.values()]


def active(wf: Any, mask: int = ACTIVE) -> list[Any]:
    return [t for t in wf.get_tasks(state=mask, skip_subprocesses=True) if t.task_spec.bpmn_id]


def _timer_settings(workflow: BpmnWorkflow) -> dict[Any, tuple[str, Any]]:
    """Waiting timers: the expression and the moment each was set for."""
    found = {}
    for wf in workflows(workflow):
        for task in active(wf, TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            value = task._get_internal_data("event_value")
            if isinstance(definition, TimerEventDefinition) and value is not None:
                found[task.id] = (definition.expression, value)
    return found


def _keep_timers(workflow: BpmnWorkflow, settings: dict[Any, tuple[str, Any]]) -> None:
    """A reset timer would start counting again; one whose expression is unchanged keeps its moment."""
    for wf in workflows(workflow):
        for task in active(wf, TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            kept = settings.get(task.id)
            if kept and isinstance(definition, TimerEventDefinition) and definition.expression == kept[0]:
                task._set_internal_data(event_value=kept[1])


def move_workflow(workflow: BpmnWorkflow, spec: Any, subs: dict[str, Any]) -> dict[str, Any]:
    """Put the workflow on another version's specs; what was reset and removed, for the event."""
    top_diff, sub_diffs = diff_workflow(REGISTRY, workflow, spec, subs)
    timers = _timer_settings(workflow)
    reset = [{"task_id": str(t.id), "element_id": t.task_spec.bpmn_id}
             for wf in workflows(workflow) for t in active(wf, RESET)]
    removed = migrate_workflow(top_diff, workflow, spec)
    for sub_id, sub in list(workflow.subprocesses.items()):
        diff = sub_diffs.get(sub_id)
        if diff is not None and sub.spec.name in subs:
            removed += migrate_workflow(diff, sub, subs[sub.spec.name])
    workflow.subprocess_specs = dict(subs)
    _keep_timers(workflow, timers)
    runner.forget_removed_waiters(workflow)  # the reset's dropped tasks must not linger as event waiters
    return {"reset_tasks": reset, "removed_tasks": sorted(str(t.id) for t in removed),
            "removed_elements": sorted({t.task_spec.bpmn_id for t in removed if t.task_spec.bpmn_id})}


def move(workflow: BpmnWorkflow, spec: Any, subs: dict[str, Any], *, now: datetime,
         service_handler: ServiceHandler | None, limits: EvaluationLimits | None) -> dict[str, Any]:
    """Move, then run whatever became ready on the new diagram (a timer now due) like any step."""
    workflow.script_engine = RestrictedScriptEngine(service_handler)
    with engine_run(limits), engine_time(now):
        record = move_workflow(workflow, spec, subs)
    runner.run_engine(workflow, now=now, service_handler=service_handler, limits=limits)
    return record
