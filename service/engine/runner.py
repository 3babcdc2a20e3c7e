"""Drive one workflow: start, complete a user task, fire timers — loudly.

The engine is quiet about two failure modes that would leave a case hanging
forever: an automatic loop that never reaches a user task (it spins inside
`do_engine_steps`), and the silent stall after a few hundred gateway
loop-backs (READY tasks the iterator no longer finds). Both become errors
here, naming the element. Every entry point runs under one evaluation budget
(`EvaluationLimits`) shared by all the diagram code it evaluates; what the
engine wraps in its own exceptions (an exhausted budget, a refused operation,
missing multi-instance input) comes out as an `EngineError` naming the element.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import determinism  # noqa: F401  (the engine's task ids and stamps follow the step from here on)
from .clock import engine_time
from .compaction import compact_finished_loops
from .errors import EngineError
from .evaluation.budget import EvaluationLimits, engine_run
from .evaluation.errors import BudgetExceeded, EvaluationRefused
from .event_subprocesses import close_finished_scopes
from .scripting import RestrictedScriptEngine, ServiceHandler
from .serializer import settle_spec

__all__ = ["AutomaticLoopLimit", "BudgetExceeded", "DataInputError", "EngineError", "EngineStalled",
           "EvaluationLimits", "EvaluationRefused", "TaskNotReady"]

MAX_AUTOMATIC_STEPS = 5000


class AutomaticLoopLimit(EngineError):
    pass


class EngineStalled(EngineError):
    pass


class DataInputError(EngineError):
    """A multi-instance collection or data input the element needs is missing or unusable."""

    def __init__(self, message: str, *, element_id: str | None) -> None:
        super().__init__(message)
        self.element_id = element_id


class TaskNotReady(LookupError):
    pass


@dataclass(frozen=True)
class ReadyUserTask:
    task_id: str
    element_id: str
    name: str
    lane: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class PendingTimer:
    task_id: str
    element_id: str
    due_at: datetime


def _all_workflows(workflow: BpmnWorkflow) -> list[Any]:
    return [workflow, *workflow.subprocesses.values()]


def _unique(tasks: Any) -> list[Any]:
    """A top workflow's task queries already include its subprocesses' tasks: keep each task once."""
    seen: dict[Any, Any] = {}
    for task in tasks:
        seen.setdefault(task.id, task)
    return list(seen.values())


def _unfinished(workflow: BpmnWorkflow) -> dict[Any, list[Any]]:
    """Each process's unfinished tasks: the one walk of the whole tree a step makes."""
    return {wf: [t for t in wf.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
            for wf in _all_workflows(workflow)}


def _check_not_stalled(workflow: BpmnWorkflow, unfinished: dict[Any, list[Any]]) -> None:
    visible = {t.id for wf in _all_workflows(workflow) for t in wf.get_tasks(state=TaskState.READY)}
    hidden = [t for tasks in unfinished.values() for t in tasks if t.state == TaskState.READY and t.id not in visible]
    if hidden:
        ids = ", ".join(sorted({t.task_spec.bpmn_id or t.task_spec.name for t in hidden}))
        raise EngineStalled(
            f"{ids}: the engine no longer finds this ready task (history too deep after repeated "
            "loop-backs); model the repetition as a loop task or event subprocess"
        )
    if not workflow.completed and not any(_can_move(workflow, t) for tasks in unfinished.values() for t in tasks):
        raise EngineStalled(f"{_dead_ends(workflow)}: the path ends here without reaching an end event, and the "
                            "case has nothing else to do or wait for; connect it on to an end event")


def _can_move(workflow: BpmnWorkflow, task: Any) -> bool:
    """Someone can act on it, it waits for an event or time, or it works (not just a subprocess's holder)."""
    if task.state in (TaskState.READY, TaskState.WAITING):
        return True
    return task.state == TaskState.STARTED and task.id not in workflow.subprocesses


def _dead_ends(workflow: BpmnWorkflow) -> str:
    """Where the paths of a case that cannot go on stopped: completed steps that lead nowhere (only said
    when a case is stuck, so this one walk is not made on every step)."""
    ends = {t.task_spec.bpmn_id for wf in _all_workflows(workflow) for t in wf.tasks.values()
            if t.state == TaskState.COMPLETED and not t.children and t.task_spec.bpmn_id}
    return ", ".join(sorted(ends)) or "?"


def _data_input_error(exc: WorkflowDataException) -> DataInputError:
    task = getattr(exc, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) or "?"
    spec = exc.data_input or exc.data_output
    name = getattr(spec, "bpmn_id", None) or "?"
    said = str(exc.args[0]) if exc.args else str(exc)
    if "multiinstance" in said.lower() and "missing" in said.lower():
        message = f"the multi-instance input collection '{name}' is not set in the case data"
    elif "iterable" in said:
        message = f"the multi-instance input collection '{name}' is not a list or a dict"
    elif "Missing data" in said:
        message = f"the data {'input' if exc.data_input else 'output'} '{name}' is not set in the case data"
    else:
        message = said.rstrip(". ") + (f" ('{name}')" if spec is not None else "")
    return DataInputError(f"{element}: {message}", element_id=element)


def _multi_instance_input_error(exc: Exception) -> DataInputError | None:
    """A multi-instance task whose input collection is unset (None) or its cardinality no number: the
    engine fails with a bare TypeError inside its multi-instance code. Said with the element instead."""
    if not isinstance(exc, TypeError | ValueError):
        return None
    frame_spec = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith("multiinstance_task.py"):
            frame_spec = trace.tb_frame.f_locals.get("self", frame_spec)
        trace = trace.tb_next
    if frame_spec is None:
        return None
    element = getattr(frame_spec, "bpmn_id", None) or "?"
    data_input = getattr(frame_spec, "data_input", None)
    if data_input is not None:
        name = getattr(data_input, "bpmn_id", None) or "?"
        return DataInputError(f"{element}: the multi-instance input collection '{name}' is not set in the case "
                              "data (it must be a list or a dict when the task starts)", element_id=element)
    cardinality = getattr(frame_spec, "cardinality", None)
    return DataInputError(f"{element}: the multi-instance cardinality '{cardinality}' is not a whole number "
                          f"({exc})", element_id=element)


def _caused_by(exc: BaseException, failure: BaseException) -> bool:
    """Whether `failure` (or the refusal it reports) is in the chain the engine raised."""
    wanted = {id(failure), id(failure.__cause__)} - {id(None)}
    link: BaseException | None = exc
    for _ in range(20):
        if link is None:
            return False
        if id(link) in wanted:
            return True
        link = link.__cause__ or link.__context__
    return False


@contextlib.contextmanager
def _engine_call(limits: EvaluationLimits | None) -> Iterator[None]:
    """One budget for the enclosed engine call; its failures said with the element."""
    with engine_run(limits) as budget:
        try:
            yield
        except EngineError:
            raise
        except Exception as exc:
            if budget.failure is not None and _caused_by(exc, budget.failure):  # wrapped: element lost
                raise budget.failure from exc
            if isinstance(exc, WorkflowDataException):
                raise _data_input_error(exc) from exc
            unusable = _multi_instance_input_error(exc)
            if unusable is not None:
                raise unusable from exc
            raise


def run_engine(workflow: BpmnWorkflow, *, now: datetime, service_handler: ServiceHandler | None,
               max_steps: int = MAX_AUTOMATIC_STEPS, limits: EvaluationLimits | None = None) -> None:
    """Run every automatic step that is ready, as of `now`, within one evaluation budget."""
    workflow.script_engine = RestrictedScriptEngine(service_handler)
    steps = 0

    def count(task: Any) -> None:
        nonlocal steps
        steps += 1
        if steps > max_steps:
            raise AutomaticLoopLimit(
                f"{task.task_spec.bpmn_id}: more than {max_steps} automatic steps without reaching a "
                "user task or timer — the diagram loops endlessly"
            )

    with _engine_call(limits), engine_time(now):
        workflow.refresh_timers()  # a timer that came due must be READY before the steps run
        workflow.do_engine_steps(did_complete_task=count)
        unfinished = _unfinished(workflow)
        if close_finished_scopes(workflow, unfinished):  # event subprocesses nobody will start any more
            workflow.do_engine_steps(did_complete_task=count)
            unfinished = _unfinished(workflow)
            close_finished_scopes(workflow, unfinished)
    compact_finished_loops(workflow)  # every entry point ends here: live steps, replay and what-if alike
    _check_not_stalled(workflow, unfinished)


def start(spec: Any, subprocess_specs: Mapping[str, Any], data: Mapping[str, Any], *, now: datetime,
          service_handler: ServiceHandler | None, limits: EvaluationLimits | None = None) -> BpmnWorkflow:
    for each in [spec, *subprocess_specs.values()]:
        settle_spec(each)  # a spec parsed here, not read through the serializer
    with _engine_call(limits):
        workflow = BpmnWorkflow(spec, dict(subprocess_specs), script_engine=RestrictedScriptEngine(service_handler))
        workflow.data.update(data)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        run_engine(workflow, now=now, service_handler=service_handler)
    return workflow


def ready_user_tasks(workflow: BpmnWorkflow) -> list[ReadyUserTask]:
    ready = (t for wf in _all_workflows(workflow) for t in wf.get_tasks(state=TaskState.READY, manual=True))
    return [_ready_user_task(task) for task in _unique(ready)]


def _ready_user_task(task: Any) -> ReadyUserTask:
    spec = task.task_spec
    return ReadyUserTask(str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, getattr(spec, "lane", None),
                         dict(task.data))


@dataclass(frozen=True)
class Waiting:
    """What a case waits on after a step: its ready user tasks and its timers, found in one walk."""

    ready: list[ReadyUserTask]
    timers: list[PendingTimer]


def waiting_on(workflow: BpmnWorkflow) -> Waiting:
    """`ready_user_tasks` and `pending_timers` together: one walk of the task tree instead of two."""
    walked = (t for wf in _all_workflows(workflow) for t in wf.get_tasks(state=TaskState.READY | TaskState.WAITING))
    ready, timers = [], []
    for task in _unique(walked):
        if task.state == TaskState.READY:
            if task.task_spec.manual:
                ready.append(_ready_user_task(task))
        else:
            timer = _pending_timer(task)
            if timer is not None:
                timers.append(timer)
    return Waiting(ready, timers)


def complete_user_task(workflow: BpmnWorkflow, task_id: str, data: Mapping[str, Any], *, now: datetime,
                       service_handler: ServiceHandler | None, limits: EvaluationLimits | None = None) -> None:
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except Exception:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReady(f"task {task_id} is not waiting for input")
    workflow.script_engine = RestrictedScriptEngine(service_handler)
    with _engine_call(limits):
        task.data.update(data)
        with engine_time(now):
            task.run()  # the task's postScript runs here
        run_engine(workflow, now=now, service_handler=service_handler)


def earlier_user_tasks(workflow: BpmnWorkflow, current_task_id: str) -> list[str]:
    """The completed user tasks on the path that led to the current one: where 退回 may go."""
    try:
        task = workflow.get_task_from_id(UUID(current_task_id))
    except Exception:
        return []
    found = []
    ancestor = task.parent if task is not None else None
    while ancestor is not None:
        if ancestor.task_spec.manual and ancestor.state == TaskState.COMPLETED:
            found.append(str(ancestor.id))
        ancestor = ancestor.parent
    return found


def forget_removed_waiters(workflow: BpmnWorkflow) -> None:
    """A reset drops tasks from the tree but not from the event manager, whose next timer refresh would
    then touch a task without a parent: forget the waiters that are no longer in any tree."""
    alive = {task_id for wf in _all_workflows(workflow) for task_id in wf.tasks}
    for task_id in [t for t in workflow.event_manager.tasks if t not in alive]:
        workflow.event_manager.tasks.pop(task_id, None)


class CannotSendBack(LookupError):
    """The chosen earlier step is not on the path that led to the current task."""


def send_back(workflow: BpmnWorkflow, current_task_id: str, earlier_task_id: str, *, now: datetime,
              service_handler: ServiceHandler | None, limits: EvaluationLimits | None = None) -> list[str]:
    """退回: move the token from the current user task back to an earlier, completed user task on its
    path; the steps in between are removed from the tree (their data stays in the audit history) and
    the earlier task is ready again with the data it was completed with. Returns the removed
    elements' ids. Only ancestors qualify, so a parallel branch that is not on the way is untouched."""
    try:
        current = workflow.get_task_from_id(UUID(current_task_id))
        earlier = workflow.get_task_from_id(UUID(earlier_task_id))
    except Exception:
        current = earlier = None
    if current is None or earlier is None:
        raise CannotSendBack("that step is no longer part of this case's path")
    label = earlier.task_spec.bpmn_name or earlier.task_spec.bpmn_id
    if earlier.state != TaskState.COMPLETED or not earlier.task_spec.manual:
        raise CannotSendBack(f"'{label}' is not a completed user task")
    ancestor = current.parent
    while ancestor is not None and ancestor.id != earlier.id:
        ancestor = ancestor.parent
    if ancestor is None:
        raise CannotSendBack(f"'{label}' is not on the path that led to this task (a parallel branch or "
                             "another subprocess)")
    workflow.script_engine = RestrictedScriptEngine(service_handler)
    with _engine_call(limits):
        removed = workflow.reset_from_task_id(earlier.id, data=dict(earlier.data))
        forget_removed_waiters(workflow)
        run_engine(workflow, now=now, service_handler=service_handler)
    return sorted({t.task_spec.bpmn_id for t in removed if getattr(t.task_spec, "bpmn_id", None)})


def pending_timers(workflow: BpmnWorkflow) -> list[PendingTimer]:
    """Timers the case waits on, with their due time (evaluated on first refresh)."""
    waiting = (t for wf in _all_workflows(workflow) for t in wf.get_tasks(state=TaskState.WAITING))
    return [timer for timer in map(_pending_timer, _unique(waiting)) if timer is not None]


def _pending_timer(task: Any) -> PendingTimer | None:
    """The timer a waiting task stands for: a timer event, or the timer branch of an event-based gateway
    (the gateway waits for all its branches' events itself; its timer keeps its due time on the gateway)."""
    definition = getattr(task.task_spec, "event_definition", None)
    element = task.task_spec.bpmn_id
    if isinstance(definition, MultipleEventDefinition):
        branches = [(i, d) for i, d in enumerate(definition.event_definitions) if isinstance(d, TimerEventDefinition)]
        if not branches:
            return None
        outputs = task.task_spec.outputs
        index = branches[0][0]
        element = outputs[index].bpmn_id if index < len(outputs) and outputs[index].bpmn_id else element
    elif not isinstance(definition, TimerEventDefinition):
        return None
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    return PendingTimer(str(task.id), element, TimerEventDefinition.get_datetime(value))


def case_data(workflow: BpmnWorkflow, ready: list[ReadyUserTask] | None = None) -> dict[str, Any]:
    """The case's variables as a person would read them now (`ready`: the ready tasks, when known)."""
    if workflow.completed:
        return dict(workflow.data)
    merged: dict[str, Any] = {}
    if workflow.last_task is not None:
        merged.update(workflow.last_task.data)
    for task in ready_user_tasks(workflow) if ready is None else ready:
        merged.update(task.data)
    return merged


def is_completed(workflow: BpmnWorkflow) -> bool:
    return bool(workflow.completed)


def completed_elements(workflow: BpmnWorkflow) -> list[str]:
    return sorted({t.task_spec.bpmn_id for wf in _all_workflows(workflow) for t in wf.tasks.values()
                   if t.state == TaskState.COMPLETED and t.task_spec.bpmn_id})
