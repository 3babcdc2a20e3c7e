"""Event subprocesses: an interrupting one ends the rest of its parent when it starts; a parent whose
main path has ended does not wait for event subprocesses that never started.

SpiffWorkflow 3.2 never reads `isInterrupting` on an event subprocess's start event, so an
interrupting event subprocess runs beside the path it should have cancelled. The start event
parser here keeps the attribute on the task spec (in its `extensions`, which the spec serializer
stores), and the start event's completion cancels every unfinished task of the parent process
except the event subprocess itself — the same moment BPMN cancels it, inside the engine step, so
an automatic path of the parent does not run on first. A spec deployed before this knew nothing of
the attribute: its event subprocesses stay as they ran then (non-interrupting), so old cases replay.

The same parser reads the error, escalation and compensation starts of an event subprocess, which
the engine took for none starts (the handler ran with every case, at once): an error or escalation
start now waits for its event, a compensation start for a compensation nothing here throws.

The engine also keeps a parent process open while any of its event subprocesses waits for its
start: a timer a day away holds a case whose main path ended long ago. `close_finished_scopes`
cancels those waiting starts once nothing else in that process is left to do.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.parser.event_parsers import (
    CONDITIONAL_EVENT_XPATH,
    ERROR_EVENT_XPATH,
    ESCALATION_EVENT_XPATH,
    MESSAGE_EVENT_XPATH,
    SIGNAL_EVENT_XPATH,
    TIMER_EVENT_XPATH,
)
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent as StartEventMixin
from SpiffWorkflow.spiff.parser.event_parsers import SpiffStartEventParser
from SpiffWorkflow.util.task import TaskState

from .compensation import COMPENSATE_EVENT_XPATH, CompensationEventDefinition

INTERRUPTING = "isInterrupting"


def _in_event_subprocess(node: Any) -> bool:
    parent = node.getparent()
    return parent is not None and parent.get("triggeredByEvent", "false").strip().lower() == "true"


class InterruptingStartEventParser(SpiffStartEventParser):
    """A start event of an event subprocess keeps whether it interrupts (BPMN's default: it does), and
    an error, escalation or compensation start waits for its event (the engine reads them as none
    starts, which run with the case whether anything is thrown or not)."""

    def create_task(self) -> Any:
        if not _in_event_subprocess(self.node):
            return super().create_task()
        if self.xpath(COMPENSATE_EVENT_XPATH):
            definition = CompensationEventDefinition(description="Compensation")
        else:
            definition = self.get_event_definition([MESSAGE_EVENT_XPATH, SIGNAL_EVENT_XPATH, TIMER_EVENT_XPATH,
                                                    CONDITIONAL_EVENT_XPATH, ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH])
        task = self._create_task(definition)
        self.spec.start.connect(task)
        return task

    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        extensions = super().parse_extensions(node)
        if (node is None or node is self.node) and _in_event_subprocess(self.node):  # set after create_task
            extensions[INTERRUPTING] = self.node.get("isInterrupting", "true").strip().lower() != "false"
        return extensions


def _interrupting(task_spec: Any) -> bool:
    """An interrupting start that waits for its event. (A none start runs with the case at once:
    interrupting there would end the main path before it began.)"""
    if isinstance(getattr(task_spec, "event_definition", None), NoneEventDefinition):
        return False
    return bool((getattr(task_spec, "extensions", None) or {}).get(INTERRUPTING))


class _Interrupt:
    """Connected to an interrupting start event's completion: cancel the rest of the parent process."""

    def __call__(self, workflow: Any, task: Any) -> None:
        parent_task_id = getattr(workflow, "parent_task_id", None)
        if parent_task_id is None:
            return
        holder = workflow.top_workflow.get_task_from_id(parent_task_id)  # the event subprocess's own task
        if holder is not None:  # (the spiff parser makes it a plain subprocess task: its class says nothing)
            cancel_beside(holder)


_INTERRUPT = _Interrupt()


def cancel_beside(holder: Any) -> None:
    """Cancel every unfinished task of `holder`'s process that is neither on its way nor after it."""
    keep = {holder.id}
    ancestor = holder.parent
    while ancestor is not None:
        keep.add(ancestor.id)
        ancestor = ancestor.parent
    keep.update(t.id for t in holder)  # the task and its descendants (its way to the end)
    process = holder.workflow
    tops = [t for t in process.tasks.values() if t.id not in keep and not t.has_state(TaskState.FINISHED_MASK)
            and (t.parent is None or t.parent.id in keep or t.parent.has_state(TaskState.FINISHED_MASK))]
    for task in tops:
        if task.id in process.tasks and not task.has_state(TaskState.FINISHED_MASK):
            task.cancel()


def settle_interrupting_starts(spec: Any) -> None:
    """Connect the interruption to every interrupting event-subprocess start of `spec`. Idempotent."""
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, StartEventMixin) and _interrupting(task_spec):
            event = task_spec.completed_event
            if not event.is_connected(_INTERRUPT):
                event.connect(_INTERRUPT)


def _not_started(subworkflow: Any) -> bool:
    """An event subprocess still waiting for its start event. Its start events hang right below the
    root's Start task (behind a split when there are several): no walk of the subprocess's tree."""
    starts = list(subworkflow.task_tree.children)
    while len(starts) == 1 and not isinstance(starts[0].task_spec, StartEventMixin) and len(starts[0].children) > 0:
        starts = list(starts[0].children)
    return bool(starts) and all(isinstance(t.task_spec, StartEventMixin) and t.state == TaskState.WAITING
                                for t in starts)


def _interrupted(workflow: Any) -> bool:
    """Whether an interrupting event subprocess of the top process ran to its end (then nothing else
    is left to reach the process's end join: the engine would leave the case open for ever)."""
    if workflow.last_task is None:
        return False
    for task_id, subworkflow in workflow.subprocesses.items():
        holder = workflow.tasks.get(task_id)
        if holder is not None and holder.state == TaskState.COMPLETED and any(
                _interrupting(t.task_spec) and t.state == TaskState.COMPLETED for t in subworkflow.tasks.values()):
            return True
    return False


def close_finished_scopes(workflow: Any, unfinished: dict[Any, list[Any]]) -> bool:
    """Let a process end with its main path. `unfinished`: each process's unfinished tasks, from the
    runner's one walk of the tree. An event subprocess that never started, in a process where nothing
    else is left but its end, is cancelled (True: the engine must step again to reach that end). A top
    process with nothing unfinished at all (its interrupting event subprocess was the last thing in it)
    is marked completed, with that last step's data, as its own end would."""
    stepped = False
    for process, tasks in unfinished.items():
        if not tasks:
            if process is workflow and not workflow.completed and _interrupted(workflow):
                workflow.data.update(workflow.last_task.data)
                workflow.completed = True
            continue
        subprocesses = workflow.subprocesses
        holders = [t for t in tasks if t.id in subprocesses and _not_started(subprocesses[t.id])]
        if not holders:
            continue
        ends = (process.spec.end.name, "End")
        if all(t in holders or t.task_spec.name in ends for t in tasks):
            for holder in holders:
                holder.cancel()
            for join in tasks:  # the end join waited for the holders: it may go now
                if join.task_spec.name == process.spec.end.name and join.state == TaskState.WAITING:
                    join.task_spec._update(join)
            stepped = True
    return stepped
