"""Replay: rebuild a case from its version's spec by re-applying its logged inputs, and compare.

Each engine step's event carries what the step needs to be redone exactly — the start data, the form
data with the engine task it completed, the timer firing, the send-back's two tasks, the migration's
target version, a linked case's changes — and the step's seed (so the engine creates the same task
ids, see engine/determinism.py) and the SHA-256 of the state it stored. Service tasks are not run
again: their results come from the step's `service_task` events, in order, so no mail goes out twice
and no document is archived twice; a diagram that would call another service than the log records
diverges there. After each step the tasks the log says were created must be the replay's ready
tasks; at the end the replayed state, data, status, open tasks and timers must equal what is stored.
When the end differs, the steps are replayed once more comparing every step's state with the hash
its event recorded, to name the first event where replay and record part.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow

from service.domain.messages import Message
from service.domain.task_actions import status_words
from service.engine import determinism, message_events, runner, serializer
from service.engine import migration as moving
from service.persistence.audit import state_digest
from service.persistence.models import ProcessDefinition

from .case_store import load_specs
from .context import AppContext
from .message_delivery import message_payload
from .message_start import start_with_message
from .parent_case import CHANGED_EVENT, set_case_variables
from .queries import visible_instance
from .replay_log import CaseLog, LoggedEvent, read_case_log
from .step_services import as_logged

ENGINE_STEPS = frozenset({"case_started", "task_completed", "timer_fired", "task_sent_back", "migrated",
                          "message_received"})
STATUS_AFTER = {"case_started": "running", "case_completed": "completed", "case_withdrawn": "cancelled",
                "case_cancelled": "cancelled", "incident_opened": "error", "incident_retry_failed": "error",
                "incident_resolved": "running"}


EventHook = Callable[[LoggedEvent, BpmnWorkflow | None, ProcessDefinition | None, str], None]


class Diverged(Exception):
    """The replay cannot follow the log at this event; `message` says how."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.code)
        self.message = message


@dataclass
class LoggedServices:
    """The service handler of a replayed step: the results the log recorded, in order; runs nothing."""

    calls: list[dict[str, Any]]
    used: int = 0
    problem: Message | None = None

    def __call__(self, operation: str, params: dict[str, Any], data: Any, task: Any) -> Any:
        element = task.task_spec.bpmn_id
        if self.used >= len(self.calls):
            self.problem = Message("replay.service_unlogged", {"element": element, "operation": operation})
            raise RuntimeError(self.problem.code)
        logged = self.calls[self.used]
        self.used += 1
        if logged.get("operation") != operation or logged.get("element_id") != element:
            self.problem = Message("replay.service_other", {
                "element": element, "operation": operation, "logged_element": logged.get("element_id"),
                "logged_operation": logged.get("operation")})
            raise RuntimeError(self.problem.code)
        if as_logged(params) != logged.get("params"):
            self.problem = Message("replay.service_params", {"element": element, "operation": operation})
            raise RuntimeError(self.problem.code)
        return logged.get("result")


@dataclass
class ReplayResult:
    instance_id: int
    ok: bool
    events: int
    steps: int
    diverges_at: dict[str, Any] | None = None
    problem: Message | None = None
    differences: list[Message] = field(default_factory=list)

    def as_dict(self, lang: str) -> dict[str, Any]:
        where = None
        if self.diverges_at is not None:
            where = {**self.diverges_at, "reason": self.problem.render(lang) if self.problem else ""}
        return {"instance_id": self.instance_id, "ok": self.ok, "events": self.events, "steps": self.steps,
                "diverges_at": where, "differences": [m.render(lang) for m in self.differences]}

    def said(self, lang: str) -> str:
        if self.ok:
            return Message("replay.ok", {"case": self.instance_id, "events": self.events,
                                         "steps": self.steps}).render(lang)
        head = Message("replay.diverged", {"case": self.instance_id}).render(lang)
        at = self.as_dict(lang)["diverges_at"]
        lines = [head]
        if at:
            lines.append(Message("replay.at_event", {"seq": at["seq"], "type": at["type"], "at": at["at"],
                                                     "actor": at["actor"], "reason": at["reason"]}).render(lang))
        lines += [f"  {m.render(lang)}" for m in self.differences]
        return "\n".join(lines)


@dataclass
class Replayer:
    """Walks one case's log; `on_event` sees the workflow after every event (the step-through page)."""

    ctx: AppContext
    log: CaseLog
    check_every_step: bool = False
    on_event: EventHook | None = None
    workflow: BpmnWorkflow | None = None
    definition: ProcessDefinition | None = None
    status: str = "starting"
    steps: int = 0
    last_recorded: LoggedEvent | None = None  # the last event that recorded a state hash

    def run(self) -> None:
        events = self.log.events
        for index, event in enumerate(events):
            try:
                self._apply(event, list(self._service_calls(events, index)))
            except Diverged as exc:
                raise StoppedAt(event, exc.message) from exc
            if self.on_event is not None:
                self.on_event(event, self.workflow, self.definition, self.status)

    @staticmethod
    def _service_calls(events: list[LoggedEvent], index: int) -> Iterator[dict[str, Any]]:
        """The `service_task` events a step wrote after its own event (with others of the same step between,
        e.g. the incident it resolved or the 加签 it closed), up to the next step."""
        if events[index].type not in ENGINE_STEPS:
            return
        for later in events[index + 1:]:
            if later.type in ENGINE_STEPS:
                return
            if later.type == "service_task":
                yield later.payload

    def _apply(self, event: LoggedEvent, calls: list[dict[str, Any]]) -> None:
        self.status = STATUS_AFTER.get(event.type, self.status)
        if event.type in ENGINE_STEPS:
            self._engine_step(event, calls)
        elif event.type == CHANGED_EVENT:
            self._require_workflow(event)
            changes = event.payload.get("changes") or []
            set_case_variables(self.workflow, {c["variable"]: c["new"] for c in changes if "variable" in c})
        elif event.type == "case_completed" and self.workflow is not None and not runner.is_completed(self.workflow):
            raise Diverged(Message("replay.not_completed", {}))
        if "state_sha256" in event.payload:
            self.last_recorded = event
            if self.check_every_step and self._digest() != event.payload["state_sha256"]:
                raise Diverged(Message("replay.state_differs", {}))
        if event.type == "task_created":
            self._check_created(event)

    def _engine_step(self, event: LoggedEvent, calls: list[dict[str, Any]]) -> None:
        seed = event.payload.get("engine_seed")
        if not seed:
            raise Diverged(Message("replay.unrecorded", {}))
        services = LoggedServices(calls)
        limits = self.ctx.evaluation_limits
        try:
            with determinism.seeded_step(str(seed), event.at):
                self._drive(event, services, limits)
        except Diverged:
            raise
        except Exception as exc:  # whatever the engine says, the replay says where and goes no further
            if services.problem is not None:
                raise Diverged(services.problem) from exc
            raise Diverged(Message("replay.engine_failed", {"cause": str(exc)[:500]})) from exc
        if services.used < len(calls):
            extra = calls[services.used]
            raise Diverged(Message("replay.service_missing", {"element": extra.get("element_id"),
                                                              "operation": extra.get("operation")}))
        self.steps += 1

    def _drive(self, event: LoggedEvent, services: LoggedServices, limits: Any) -> None:
        payload, at = event.payload, event.at
        if event.type == "case_started":
            self.definition = self._version(payload.get("process_id"), payload.get("version"))
            spec, subs = load_specs(self.ctx, self.definition)
            if isinstance(payload.get("message"), dict):  # begun at a message start event: start and catch it
                self.workflow = start_with_message(spec, subs, payload.get("data") or {}, payload["message"], now=at,
                                                   service_handler=services, limits=limits)
                return
            self.workflow = runner.start(spec, subs, payload.get("data") or {}, now=at, service_handler=services,
                                         limits=limits)
            return
        workflow = self._require_workflow(event)
        if event.type == "task_completed":
            runner.complete_user_task(workflow, str(payload.get("engine_task_id")), payload.get("data") or {},
                                      now=at, service_handler=services, limits=limits)
        elif event.type == "timer_fired":
            runner.run_engine(workflow, now=at, service_handler=services, limits=limits)
        elif event.type == "message_received":
            name = str(payload.get("name"))
            caught = message_events.deliver(workflow, name, message_payload(payload.get("correlation") or {},
                                                                            payload.get("data") or {}),
                                            now=at, service_handler=services, limits=limits)
            if not caught:
                raise Diverged(Message("replay.message_not_caught", {"name": name}))
        elif event.type == "task_sent_back":
            runner.send_back(workflow, str(payload.get("engine_task_id")), str(payload.get("to_engine_task_id")),
                             now=at, service_handler=services, limits=limits)
        elif event.type == "migrated":
            target = self.log.versions.get(int(payload.get("to_definition_id") or 0))
            if target is None:
                raise Diverged(Message("replay.version_missing", {"version": payload.get("to_version")}))
            spec, subs = load_specs(self.ctx, target)
            moving.move(workflow, spec, subs, now=at, service_handler=services, limits=limits)
            self.definition = target

    def _version(self, process_id: Any, number: Any) -> ProcessDefinition:
        found = self.log.version(str(process_id), number)
        if found is None:
            raise Diverged(Message("replay.version_missing", {"version": number}))
        return found

    def _require_workflow(self, event: LoggedEvent) -> BpmnWorkflow:
        if self.workflow is None:
            raise Diverged(Message("replay.before_start", {}))
        return self.workflow

    def _check_created(self, event: LoggedEvent) -> None:
        engine_id = event.payload.get("engine_task_id")
        if not engine_id or self.workflow is None:
            return
        ready = {t.task_id: t.element_id for t in runner.ready_user_tasks(self.workflow)}
        if ready.get(str(engine_id)) != event.payload.get("element_id"):
            raise Diverged(Message("replay.task_not_ready", {"element": event.payload.get("element_id")}))

    def _digest(self) -> str:
        return state_digest(serializer.dump_state(self.workflow)) if self.workflow is not None else ""


class StoppedAt(Exception):
    """The walk stopped at `event`: the replay cannot follow the log there, for `message`."""

    def __init__(self, event: LoggedEvent, message: Message) -> None:
        super().__init__(message.code)
        self.event, self.message = event, message


def _state_differences(replayed: dict[str, Any], stored: dict[str, Any]) -> list[Message]:
    """How two engine states differ, in the elements and variables a person knows."""
    found: list[Message] = []
    tasks_a, tasks_b = _tasks(replayed), _tasks(stored)
    for task_id in sorted(set(tasks_a) | set(tasks_b)):
        a, b = tasks_a.get(task_id), tasks_b.get(task_id)
        if a is None or b is None:
            element = (a or b or {}).get("element")
            found.append(Message("replay.task_only_in", {"element": element, "task": task_id[:8],
                                                         "side": _side(b is None)}))
        elif a["state"] != b["state"]:
            found.append(Message("replay.task_state", {"element": a["element"], "replayed": a["state"],
                                                       "stored": b["state"]}))
        else:
            found.extend(_variables(a["element"], a["data"], b["data"]))
    found.extend(_variables("—", replayed.get("data") or {}, stored.get("data") or {}))
    return found[:20]


def _variables(element: Any, replayed: dict[str, Any], stored: dict[str, Any]) -> list[Message]:
    return [Message("replay.task_data", {"element": element, "variable": name, "replayed": _short(replayed.get(name)),
                                         "stored": _short(stored.get(name))})
            for name in sorted(set(replayed) | set(stored)) if replayed.get(name) != stored.get(name)]


def _tasks(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each task's element, state and variables (its data and the changes it made, as the engine keeps them)."""
    found = {}
    for wf in [state, *(state.get("subprocesses") or {}).values()]:
        for task_id, task in (wf.get("tasks") or {}).items():
            variables = {**(task.get("data") or {}), **{f"Δ{k}": v for k, v in (task.get("delta") or {}).items()}}
            found[task_id] = {"element": task.get("task_spec"), "state": task.get("state"), "data": variables}
    return found


def _side(in_replay: bool) -> Message:
    return Message("replay.side.replay" if in_replay else "replay.side.stored")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def _compare_stored(replayer: Replayer, log: CaseLog) -> list[Message]:
    """What the replay arrived at against what is stored, beyond the engine state."""
    stored, workflow = log.stored, replayer.workflow
    found: list[Message] = []
    if replayer.status != stored.status:
        found.append(Message("replay.status", {"replayed": status_words(replayer.status),
                                               "stored": status_words(stored.status)}))
    if replayer.definition is not None and replayer.definition.id != stored.definition_id:
        found.append(Message("replay.version", {"replayed": replayer.definition.version}))
    if workflow is None:
        return found
    data = as_logged(runner.case_data(workflow))
    for name in sorted(set(data) | set(stored.data)):
        if data.get(name) != stored.data.get(name):
            found.append(Message("replay.data", {"variable": name, "replayed": _short(data.get(name)),
                                                 "stored": _short(stored.data.get(name))}))
    if stored.status in ("running", "error"):
        ready = {t.task_id: t.element_id for t in runner.ready_user_tasks(workflow)}
        for task_id in sorted(set(ready) ^ set(stored.open_tasks)):
            found.append(Message("replay.open_task", {"element": ready.get(task_id) or stored.open_tasks.get(task_id),
                                                      "side": _side(task_id in ready)}))
        timers = {t.task_id: t.due_at.isoformat() for t in runner.pending_timers(workflow)}
        for task_id in sorted(set(timers) ^ set(stored.timers)):
            found.append(Message("replay.timer", {"side": _side(task_id in timers)}))
    return found


def _diverged(log: CaseLog, replayer: Replayer, event: LoggedEvent, message: Message,
              differences: list[Message] | None = None) -> ReplayResult:
    return ReplayResult(log.stored.id, False, len(log.events), replayer.steps, event.said(message.code), message,
                        differences or [])


def replay_log(ctx: AppContext, log: CaseLog, on_event: EventHook | None = None) -> ReplayResult:
    """The verdict of one walk over the log; `on_event` sees each event's workflow on the way (frames)."""
    replayer = Replayer(ctx, log, on_event=on_event)
    try:
        replayer.run()
    except StoppedAt as at:
        return _diverged(log, replayer, at.event, at.message)
    replayed_json = serializer.dump_state(replayer.workflow) if replayer.workflow is not None else "{}"
    differences = _compare_stored(replayer, log)
    state_same = replayer.workflow is None or json.loads(replayed_json) == json.loads(log.stored.state_json or "{}")
    if state_same and not differences:
        return ReplayResult(log.stored.id, True, len(log.events), replayer.steps)
    if not state_same:
        differences = _state_differences(json.loads(replayed_json), json.loads(log.stored.state_json or "{}")) \
            + differences
    return _locate(ctx, log, replayer, replayed_json, differences)


def _locate(ctx: AppContext, log: CaseLog, first: Replayer, replayed_json: str,
            differences: list[Message]) -> ReplayResult:
    """The end differs: name the first event whose recorded state the replay does not reach, or, when
    every step matches its record, the stored case itself (edited after its last step)."""
    careful = Replayer(ctx, log, check_every_step=True)
    try:
        careful.run()
    except StoppedAt as at:
        return _diverged(log, careful, at.event, at.message, differences)
    last = first.last_recorded or (log.events[-1] if log.events else None)
    if last is None:
        return ReplayResult(log.stored.id, False, 0, 0, None, Message("replay.no_events", {}), differences)
    recorded = last.payload.get("state_sha256")
    edited = recorded is not None and state_digest(log.stored.state_json) != recorded
    message = Message("replay.stored_edited" if edited else "replay.stored_differs", {})
    return _diverged(log, careful, last, message, differences)


def replay_case(ctx: AppContext, instance_id: int, *, actor: str | None = None) -> ReplayResult:
    """Replay one case from its log and compare with what is stored (`actor`: only if they may see it)."""
    with ctx.db.reading() as session:
        if actor is not None:
            visible_instance(session, instance_id, actor)  # the one access rule of a case
        log = read_case_log(session, instance_id)
    return replay_log(ctx, log)
