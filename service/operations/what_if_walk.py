"""Walk one finished case's logged inputs on another diagram (a draft) and say where it parts.

Why not the replay: replay redoes a case on the very version it ran on, so it may address tasks by
their engine ids. On a draft the tasks are other tasks; what stays meaningful is the diagram element a
person completed. So every logged completion completes the draft's ready task of the same element
(the one with the logged engine id when the draft has it: an unchanged diagram then makes exactly the
same tasks, and its walk equals the original), timers fire at the time they fired, a send-back goes
from and to the same elements, a linked case's changes are set again; a migration is ignored, the
draft is the version the case is moved onto in thought.

Nothing real runs: a service task gets the logged result of the same element and operation (in the
order logged, when called with the same parameters); only the working-day calculations may be
computed afresh (`PURE_OPERATIONS`), they read the calendar and send nothing. Any other service the
original never called there stops the walk, because the what-if cannot know its result. Every step
runs under the evaluation budget and the logged seed, exactly as a live step, so a diagram script
that never ends is refused at its element, and engine failures are said as a live step says them.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from service.domain.messages import Message
from service.engine import determinism, message_events, runner
from service.engine.evaluation.budget import EvaluationLimits
from service.service_tasks import registry
from service.service_tasks.context import ServiceContext

from .errors import OperationError
from .message_delivery import message_payload
from .message_start import start_with_message
from .parent_case import CHANGED_EVENT, set_case_variables
from .replay_log import CaseLog, LoggedEvent
from .step_services import as_logged
from .unit_of_work import CaseFailed, engine_guard

# the working-day arithmetic of service_tasks/deadlines.py: calendar in, a time out, no mail, no file
PURE_OPERATIONS = frozenset({"noon_rule", "working_day_end", "reminder_time", "working_day_deadline",
                             "next_working_day_end"})
DRAFT_STEPS = frozenset({"case_started", "task_completed", "timer_fired", "task_sent_back", "message_received"})
Calculator = Callable[[str, dict[str, Any], Any, datetime], Any]
_SEEDS = uuid.UUID("6f1d3c1e-8a51-4a43-9d0e-7c6bde5a2f10")  # for steps logged before seeds were


def path_elements(workflow: BpmnWorkflow, seen: set[Any]) -> Iterator[str]:
    """The diagram elements completed since `seen` (which it extends), in the engine's tree order.
    Gateways are left out: where a gateway sends the token shows in the elements that follow."""
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        element = getattr(task.task_spec, "bpmn_id", None)
        if task.id in seen:
            continue
        seen.add(task.id)
        if element and not any("Gateway" in kind.__name__ for kind in type(task.task_spec).__mro__):
            yield str(element)


@dataclass
class Parting:
    """Where and why the draft left the original: the verdict, the draft's element, what the original did."""

    verdict: str  # "other_path" | "failed" | "stopped"
    element_id: str | None
    reason: Message
    original: str | None = None  # the element the original went on with there, when one


@dataclass
class DraftServices:
    """The service handler of the draft's steps: logged results by (element, operation), never a real call."""

    logged: dict[tuple[str, str], deque[dict[str, Any]]]
    calculate: Calculator  # a pure operation, computed for this case at the step's time
    now: datetime | None = None  # the time of the step being walked
    parting: Parting | None = None

    @classmethod
    def of(cls, events: list[LoggedEvent], calculate: Calculator) -> DraftServices:
        logged: dict[tuple[str, str], deque[dict[str, Any]]] = {}
        for event in events:
            if event.type == "service_task":
                key = (str(event.payload.get("element_id")), str(event.payload.get("operation")))
                logged.setdefault(key, deque()).append(event.payload)
        return cls(logged, calculate)

    def __call__(self, operation: str, params: dict[str, Any], data: Any, task: Any) -> Any:
        element = str(task.task_spec.bpmn_id)
        queue = self.logged.get((element, operation))
        given = as_logged(params)
        call = queue.popleft() if queue else None
        if call is not None and call.get("params") == given:
            return call.get("result")
        if operation in PURE_OPERATIONS and self.now is not None:
            return as_logged(self.calculate(operation, params, data, self.now))
        code = "what_if.service_params" if call is not None else "what_if.service_unknown"
        self.parting = Parting("stopped", element, Message(code, {"element": element, "operation": operation}))
        raise RuntimeError(code)


class _Parted(Exception):
    def __init__(self, parting: Parting) -> None:
        super().__init__(parting.reason.code)
        self.parting = parting


@dataclass
class DraftWalk:
    """One case's inputs on the draft's spec; `run()` gives None when every input could be applied."""

    log: CaseLog
    spec: Any
    subprocess_specs: dict[str, Any]
    names: dict[str, str]  # the draft's element id → name, for reasons a person reads
    services: DraftServices
    limits: EvaluationLimits
    deadline: float  # time.monotonic() by which the walk gives up
    workflow: BpmnWorkflow | None = None
    path: list[str] = field(default_factory=list)
    _seen: set[Any] = field(default_factory=set)
    _created: dict[str, str] = field(default_factory=dict)  # the original's engine task id → element id

    def run(self) -> Parting | None:
        try:
            for event in self.log.events:
                if time.monotonic() > self.deadline:
                    return Parting("stopped", None, Message("what_if.out_of_time", {}))
                self._apply(event)
        except _Parted as parted:
            return parted.parting
        return None

    def _apply(self, event: LoggedEvent) -> None:
        payload = event.payload
        if event.type == "task_created" and payload.get("engine_task_id"):
            self._created[str(payload["engine_task_id"])] = str(payload.get("element_id"))
        elif event.type in DRAFT_STEPS:
            self._step(event)
        elif event.type == CHANGED_EVENT and self.workflow is not None:
            changes = payload.get("changes") or []
            set_case_variables(self.workflow, {c["variable"]: c["new"] for c in changes if "variable" in c})
        elif event.type == "case_completed" and self.workflow is not None and not runner.is_completed(self.workflow):
            raise _Parted(Parting("other_path", self._waiting_element(), Message("what_if.not_finished", {
                "ready": self._ready_words()})))

    def _step(self, event: LoggedEvent) -> None:
        seed = str(event.payload.get("engine_seed") or uuid.uuid5(_SEEDS, f"{self.log.stored.id}:{event.seq}").hex)
        self.services.now = event.at
        try:
            with determinism.seeded_step(seed, event.at):
                engine_guard(lambda: self._drive(event))
        except _Parted:
            raise
        except Exception as exc:  # whatever the draft's engine says, the walk says where and stops
            self._follow()  # what the failed step did complete shows where it got to
            raise _Parted(self._failure(exc)) from exc
        self._follow()

    def _follow(self) -> None:
        if self.workflow is not None:
            self.path.extend(path_elements(self.workflow, self._seen))

    def _failure(self, exc: Exception) -> Parting:
        if self.services.parting is not None:
            return self.services.parting
        if isinstance(exc, CaseFailed):
            element = exc.element_id or failing_element(exc)
            return Parting("failed", element, Message("what_if.step_failed", {
                "element": self._named(element), "cause": exc.cause[:500]}))
        if isinstance(exc, OperationError):  # a service refused the logged input (a person's field)
            return Parting("failed", None, Message("what_if.step_failed", {"element": "—", "cause": exc.code}))
        return Parting("failed", None, Message("what_if.step_failed", {"element": "—", "cause": str(exc)[:500]}))

    def _drive(self, event: LoggedEvent) -> None:
        payload, at, services, limits = event.payload, event.at, self.services, self.limits
        if event.type == "case_started":
            if isinstance(payload.get("message"), dict):  # begun at a message start event
                self.workflow = start_with_message(self.spec, self.subprocess_specs, payload.get("data") or {},
                                                   payload["message"], now=at, service_handler=services,
                                                   limits=limits)
                return
            self.workflow = runner.start(self.spec, self.subprocess_specs, payload.get("data") or {}, now=at,
                                         service_handler=services, limits=limits)
            return
        workflow = self.workflow
        if workflow is None:
            return  # a log without its start: nothing to walk (the caller reads the empty path)
        if event.type == "task_completed":
            element = str(payload.get("element_id"))
            task = self._ready_of(element, payload.get("engine_task_id"))
            runner.complete_user_task(workflow, task.task_id, payload.get("data") or {}, now=at,
                                      service_handler=services, limits=limits)
        elif event.type == "timer_fired":
            runner.run_engine(workflow, now=at, service_handler=services, limits=limits)
        elif event.type == "message_received":
            message_events.deliver(workflow, str(payload.get("name")), message_payload(
                payload.get("correlation") or {}, payload.get("data") or {}), now=at, service_handler=services,
                limits=limits)
        elif event.type == "task_sent_back":
            current_id = str(payload.get("engine_task_id"))
            current = self._ready_of(self._created.get(current_id, ""), current_id)
            earlier = self._earlier_of(current.task_id, str(payload.get("to_element_id")),
                                       str(payload.get("to_engine_task_id")))
            runner.send_back(workflow, current.task_id, earlier, now=at, service_handler=services, limits=limits)

    def _ready_of(self, element: str, engine_task_id: Any) -> runner.ReadyUserTask:
        """The draft's ready task of `element` (the logged task itself when the draft has it)."""
        assert self.workflow is not None
        candidates = [t for t in runner.ready_user_tasks(self.workflow) if t.element_id == element]
        if not candidates:
            raise _Parted(Parting("other_path", self._waiting_element(), Message("what_if.task_not_ready", {
                "element": self._named(element), "ready": self._ready_words()}), original=element))
        return next((t for t in candidates if t.task_id == str(engine_task_id)), candidates[0])

    def _earlier_of(self, current_id: str, element: str, engine_task_id: str) -> str:
        assert self.workflow is not None
        earlier = runner.earlier_user_tasks(self.workflow, current_id)
        elements = {task_id: self._element_of(task_id) for task_id in earlier}
        matching = [task_id for task_id in earlier if elements[task_id] == element]
        if not matching:
            raise _Parted(Parting("other_path", element, Message("what_if.cannot_send_back", {
                "element": self._named(element)}), original=element))
        return engine_task_id if engine_task_id in matching else matching[0]

    def _element_of(self, task_id: str) -> str:
        assert self.workflow is not None
        task = self.workflow.get_task_from_id(uuid.UUID(task_id))
        return str(getattr(task.task_spec, "bpmn_id", "") if task is not None else "")

    def _waiting_element(self) -> str | None:
        ready = runner.ready_user_tasks(self.workflow) if self.workflow is not None else []
        return ready[0].element_id if ready else None

    def _ready_words(self) -> str:
        ready = runner.ready_user_tasks(self.workflow) if self.workflow is not None else []
        if not ready:
            return "—"
        return ", ".join(self._named(t.element_id) for t in ready)

    def _named(self, element: str | None) -> str:
        if not element:
            return "—"
        name = self.names.get(element)
        return f"{name} ({element})" if name and name != element else element


def failing_element(exc: BaseException) -> str | None:
    """The element of the engine task an exception (or its causes) reports, when one does: the engine's
    own errors (a condition that raises, say) carry the task rather than its id in their words."""
    link: BaseException | None = exc
    for _ in range(20):
        if link is None:
            return None
        element = getattr(getattr(getattr(link, "task", None), "task_spec", None), "bpmn_id", None)
        if element:
            return str(element)
        link = link.__cause__ or link.__context__
    return None


def pure_calculator(base: ServiceContext) -> Calculator:
    """Runs one of `PURE_OPERATIONS` in the case's context (`base`) at the step's time; it mails nobody."""
    def calculate(operation: str, params: dict[str, Any], data: Any, now: datetime) -> Any:
        context = ServiceContext(now=now, calendar=base.calendar, instance_id=base.instance_id,
                                 process_id=base.process_id, business_key=base.business_key,
                                 people_with_role=lambda role: [], sender=base.sender, mail_domain=base.mail_domain,
                                 data=dict(data))
        return registry.call(operation, context, params)
    return calculate
