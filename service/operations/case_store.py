"""A case step in three phases: read a snapshot, run the engine with no lock held, write the outcome.

Why three phases: diagram scripts and service tasks may take their whole budget; run inside a write
transaction they would hold the case row (PostgreSQL) or the whole database (SQLite) meanwhile. So the
engine runs on a snapshot, and the write phase — case row locked first, then its rows — checks that the
case is still at the snapshot's revision before it writes state, inbox rows, timers, mails and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session, defer, lazyload, undefer
from sqlalchemy.orm.attributes import set_committed_value

from service.adapters.clock import parse_instant
from service.adapters.mailer import OutgoingMail
from service.domain.business_key import with_contract_no
from service.engine import runner, safe_eval, serializer
from service.persistence.audit import Marker, append_event, state_digest
from service.persistence.models import OutboxMail, ProcessDefinition, ProcessInstance

from .context import AppContext
from .errors import NotFound
from .mail_readers import copy_for_diagram, copy_to_mail_readers
from .notify import notify_assignee
from .step_rows import ReadyTask, WaitedOn, fresh_tasks, sync_tasks, sync_timers
from .step_services import ServiceCall, StepServices, as_logged


class CaseChanged(Exception):
    """The case moved on between the snapshot and the write: the unit of work starts again."""


def load_specs(ctx: AppContext, definition: ProcessDefinition) -> tuple[Any, dict[str, Any]]:
    """The parsed specs of a version, deserialized once per process (read in a session of their own)."""
    def load() -> tuple[Any, dict[str, Any]]:
        with ctx.db.reading() as session:
            spec_json = session.execute(select(ProcessDefinition.spec_json).where(
                ProcessDefinition.id == definition.id)).scalar_one()
        return serializer.load_specs(spec_json)
    return ctx.cached_spec(definition.id, load)


_LOCK = (  # built once: composing it costs more than running it
    select(ProcessInstance).where(ProcessInstance.id == bindparam("case"))
    .with_for_update(of=ProcessInstance).execution_options(populate_existing=True))
# an event beside the engine reads neither the version nor the case data
_LOCK_FOR_LOG = _LOCK.options(lazyload(ProcessInstance.definition), defer(ProcessInstance.data))


def lock_instance(session: Session, instance_id: int, *, statement: Any = _LOCK) -> ProcessInstance:
    """The first lock of every case step: the case row (then its task, timer and mail rows)."""
    instance = session.execute(statement, {"case": instance_id}).unique().scalar_one_or_none()
    if instance is None:
        raise NotFound("case.missing", case=instance_id)
    return instance


def lock_for_log(session: Session, instance_id: int) -> ProcessInstance:
    """The case row locked for `append_beside_engine`."""
    return lock_instance(session, instance_id, statement=_LOCK_FOR_LOG)


def append_beside_engine(session: Session, case: ProcessInstance, *, type: str, actor: str, at: datetime,
                         payload: dict[str, Any]) -> None:
    """An event that records something beside the engine (a mail went out) on the case locked by
    `lock_for_log`: its chain head advances in a statement of its own, and its revision stays. The
    revision is what a step computed meanwhile checks before it writes; bumping it here would make a
    timer step of the same case start over, though nothing the step read has changed (the head is
    read under the lock)."""
    append_event(session, type=type, actor=actor, at=at, case=case, payload=payload)
    seq, digest = case.chain_seq, case.chain_hash
    session.execute(update(ProcessInstance).where(ProcessInstance.id == case.id)
                    .values(chain_seq=seq, chain_hash=digest).execution_options(synchronize_session=False))
    set_committed_value(case, "chain_seq", seq)  # written: the row itself is not dirty any more
    set_committed_value(case, "chain_hash", digest)


def _at_revision(instance: ProcessInstance, revision: int) -> None:
    if instance.revision != revision:
        raise CaseChanged(f"case {instance.id} changed (revision {revision} → {instance.revision})")


def lock_snapshot_with(session: Session, statement: Any, snapshot: CaseSnapshot, params: dict[str, Any],
                       missing: str) -> tuple[ProcessInstance, Any]:
    """The case row locked at the snapshot's revision and the row `statement` reads with it (a task, a
    timer): one statement, and that row needs no lock of its own, because every writer of a case's
    rows locks the case first. `missing`: why the step must start over when the row is not there."""
    found = session.execute(statement, {"case": snapshot.id, **params}).unique().first()
    if found is None:
        raise CaseChanged(missing)
    instance, row = found
    _at_revision(instance, snapshot.revision)
    return instance, row


def lock_snapshot(session: Session, instance_id: int, revision: int) -> ProcessInstance:
    instance = lock_instance(session, instance_id)
    _at_revision(instance, revision)
    return instance


@dataclass(frozen=True)
class CaseSnapshot:
    """A case as read before the engine runs; the definition is immutable, so sharing it is safe."""

    id: int
    revision: int
    state_json: str | None  # None: not read yet (a warm case needs none)
    definition: ProcessDefinition
    process_id: str
    business_key: str
    parent_id: int | None
    status: str
    started_by: str | None = None
    reference: Marker | None = None  # the system head its read saw (audit.assume_marker)


def case_or_missing(session: Session, instance_id: int) -> ProcessInstance:
    """The case row for reading, or NotFound naming it (the one place that says a case is missing)."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound("case.missing", case=instance_id)
    return instance


def read_snapshot(session: Session, instance_id: int) -> CaseSnapshot:
    instance = session.execute(select(ProcessInstance).where(ProcessInstance.id == instance_id)
                               .options(undefer(ProcessInstance.state_json))).unique().scalar_one_or_none()
    if instance is None:
        raise NotFound("case.missing", case=instance_id)
    return snapshot_of(instance)


def snapshot_of(instance: ProcessInstance, reference: Marker | None = None) -> CaseSnapshot:
    """The snapshot of a case row already loaded in the caller's read session (its stored state only
    if that was read with it: a warm case does not need it)."""
    state = None if "state_json" in inspect(instance).unloaded else instance.state_json
    return CaseSnapshot(instance.id, instance.revision, state, instance.definition,
                        instance.process_id, instance.business_key, instance.parent_id, instance.status,
                        instance.started_by, reference)


def load_workflow(ctx: AppContext, snapshot: CaseSnapshot | ProcessInstance) -> BpmnWorkflow:
    """A fresh workflow from the stored state, for reading (the warm copy is for steps only)."""
    spec, subs = load_specs(ctx, snapshot.definition)
    return serializer.load_state(_stored_state(ctx, snapshot), spec, subs)


def _stored_state(ctx: AppContext, snapshot: CaseSnapshot | ProcessInstance) -> str:
    if isinstance(snapshot, ProcessInstance) or snapshot.state_json is not None:
        return snapshot.state_json or "{}"
    with ctx.db.reading() as session:  # a later revision is caught by the write phase's revision check
        return session.execute(select(ProcessInstance.state_json).where(
            ProcessInstance.id == snapshot.id)).scalar_one()


@dataclass(frozen=True)
class StepStart:
    """The workflow a step runs on, and what the case waited on before it when that is known."""

    workflow: BpmnWorkflow
    before: WaitedOn | None  # None: not known, the write phase reads the rows instead


def step_start(ctx: AppContext, snapshot: CaseSnapshot) -> StepStart:
    """The warm workflow of the case at the snapshot's revision, or one loaded from its stored state."""
    warm = ctx.warm.take(snapshot.id, snapshot.revision)
    if warm is not None:
        return StepStart(*warm)
    workflow = load_workflow(ctx, snapshot)
    return StepStart(workflow, waited_on(workflow))


def waited_on(workflow: BpmnWorkflow) -> WaitedOn:
    """What a stored case waits on, read off its state: its rows were written from that state in the
    transaction that wrote it, so the step needs to write only the difference, as a warm case does."""
    waiting = runner.waiting_on(workflow)
    return WaitedOn.of(waiting.ready, waiting.timers)


# --- the outcome of one engine run, computed before any lock is taken ---------------------------


@dataclass
class StepOutcome:
    state_json: str
    data: dict[str, Any]
    completed: bool
    ready: list[ReadyTask]
    timers: list[runner.PendingTimer]
    calls: list[ServiceCall]
    mails: list[OutgoingMail]
    thread: list[str]  # Message-IDs of the request's thread, oldest first
    customer: str | None
    copies: list[str] = field(default_factory=list)  # people a diagram step copied the case to (抄送)
    case_starts: list[dict[str, Any]] = field(default_factory=list)  # cases the step asks to open (case_starts)
    engine_seed: str = ""
    before: WaitedOn | None = None  # what the case waited on before the step, when known
    fired_timer: str | None = None  # the timer the step fired: its caller marks the row, nobody cancels it
    workflow: BpmnWorkflow | None = field(default=None, repr=False, compare=False)  # kept warm after commit

    def replay_record(self) -> dict[str, str]:
        """What the step's own event records so that replay can redo the step and check its result."""
        return {"engine_seed": self.engine_seed, "state_sha256": state_digest(self.state_json)}


def _due_at(ctx: AppContext, meta: dict[str, Any], data: dict[str, Any]) -> datetime | None:
    variable = meta.get("due")
    value = data.get(variable) if variable else None
    if not value:
        return None
    try:
        return parse_instant(str(value), ctx.tz)
    except ValueError:
        return None


def _assignee(meta: dict[str, Any], data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The person the diagram names for the task (`assignee` property), or (None, why not)."""
    expression = meta.get("assignee")
    if not expression:
        return None, None
    try:
        value = safe_eval.evaluate(expression, data)
    except Exception as exc:  # a diagram problem must not lose the step: the task stays with the role
        return None, f"assignee '{expression}': {exc}"
    if value in (None, ""):
        return None, None
    return str(value).strip()[:64] or None, None


def _ready_tasks(ctx: AppContext, definition: ProcessDefinition, ready: list[runner.ReadyUserTask]
                 ) -> list[ReadyTask]:
    tasks_meta = definition.meta.get("tasks", {})
    found = []
    for task in ready:
        meta = tasks_meta.get(task.element_id, {})
        assignee, problem = _assignee(meta, task.data)
        found.append(ReadyTask(task.task_id, task.element_id, task.name, meta.get("role") or "", meta.get("form"),
                               _due_at(ctx, meta, task.data), assignee, problem))
    return found


def _customer(data: dict[str, Any], fallback: str | None) -> str | None:
    value = data.get("customer")
    return str(value).strip()[:128] if isinstance(value, str) and value.strip() else fallback


def outcome_of(ctx: AppContext, definition: ProcessDefinition, workflow: BpmnWorkflow, services: StepServices,
               customer: str | None = None, before: WaitedOn | None = None) -> StepOutcome:
    waiting = runner.waiting_on(workflow)
    data = as_logged(runner.case_data(workflow, waiting.ready))
    context = services.context if services.used else None
    return StepOutcome(
        state_json=serializer.dump_state(workflow), data=data, completed=runner.is_completed(workflow),
        ready=_ready_tasks(ctx, definition, waiting.ready), timers=waiting.timers,
        calls=list(services.calls), mails=list(context.outgoing) if context else [],
        thread=[m.message_id for m in context.thread] if context else [],
        customer=_customer(data, customer), copies=list(context.copies) if context else [],
        case_starts=list(context.case_starts) if context else [],
        engine_seed=services.seed, before=before, workflow=workflow)


# --- the write phase ------------------------------------------------------------------------------


def _queue_mails(session: Session, instance: ProcessInstance, outcome: StepOutcome, now: datetime) -> None:
    members = set(outcome.thread)
    for mail in outcome.mails:
        root = outcome.thread[0] if mail.message_id in members else None  # reminders stand alone
        session.add(OutboxMail(
            instance_id=instance.id, message_id=mail.message_id, thread_root=root, in_reply_to=mail.in_reply_to,
            references=list(mail.references), subject=mail.subject,
            sender={"name": mail.sender.name, "email": mail.sender.email},
            to=[{"name": a.name, "email": a.email} for a in mail.to],
            cc=[{"name": a.name, "email": a.email} for a in mail.cc],
            body=mail.body, status="pending", attempts=0, created_at=now))
    copy_to_mail_readers(session, instance, (a.email for mail in outcome.mails for a in mail.cc), now)
    copy_for_diagram(session, instance, outcome.copies, now)


def write_outcome(session: Session, instance: ProcessInstance, outcome: StepOutcome, *, actor: str,
                  now: datetime, ctx: AppContext, step_event: tuple[str, dict[str, Any]] | None = None) -> None:
    """Write a step's consequences to the locked case: its own event (`step_event`, or one the caller
    appended before), service results, rows, mails, and the events of the tasks it made.

    The task rows go first, so one flush gives the new rows their ids while the case row is still
    untouched; the events and the case row are then written together at commit."""
    fresh = fresh_tasks(session, outcome.ready, outcome.before, outcome.customer)
    created = sync_tasks(session, instance, {t.task_id for t in outcome.ready}, fresh, outcome.before, now)
    sync_timers(session, instance, outcome.timers, outcome.before, fired=outcome.fired_timer)
    if created:
        session.flush()  # the new task rows' ids go into their events
    if step_event is not None:
        append_event(session, type=step_event[0], actor=actor, at=now, case=instance, payload=step_event[1])
    for call in outcome.calls:
        append_event(session, type="service_task", actor="system", at=now, case=instance,
                     payload={"element_id": call.element_id, "operation": call.operation,
                              "params": call.params, "result": call.result})
    from .parent_case import apply_parent_changes  # a linked case's change to its request: same transaction

    apply_parent_changes(ctx, session, instance, outcome.calls, now)
    from .case_starts import record_case_starts  # the step's requests for new cases: same transaction

    record_case_starts(session, instance, outcome, now)
    from .contract_registration import register_contracts  # a signed contract as master data: same transaction

    register_contracts(ctx, session, instance, outcome.calls, now)
    instance.state_json, instance.data, instance.updated_at = outcome.state_json, outcome.data, now
    instance.business_key = with_contract_no(instance.business_key or "", outcome.data)
    instance.customer = outcome.customer
    _queue_mails(session, instance, outcome, now)
    if outcome.completed and instance.status != "completed":
        instance.status, instance.completed_at = "completed", now
        append_event(session, type="case_completed", actor=actor, at=now, case=instance,
                     payload={"data": instance.data})
    problems = {t.task_id: t.assignee_problem for t in fresh if t.assignee_problem}
    for row in created:
        payload = {"task_id": row.id, "engine_task_id": row.engine_task_id, "element_id": row.element_id,
                   "name": row.name, "role": row.role,
                   "assignee": row.assignee, "due_at": row.due_at.isoformat() if row.due_at else None}
        if row.engine_task_id in problems:
            payload["assignee_problem"] = problems[row.engine_task_id]
        if row.assignee and row.assignee != actor:  # whoever just did the step knows what comes next
            payload["notified"] = notify_assignee(ctx, session, row, now)
        append_event(session, type="task_created", actor="system", at=now, case=instance, payload=payload)
    _keep_warm(ctx, session, instance, outcome)


def _keep_warm(ctx: AppContext, session: Session, instance: ProcessInstance, outcome: StepOutcome) -> None:
    """Once the step has committed, its workflow is the case at the revision just written."""
    workflow = outcome.workflow
    if workflow is None:
        return
    waiting = WaitedOn.of(outcome.ready, outcome.timers)
    ctx.warm.forget(instance.id)

    def keep(_session: Session) -> None:
        ctx.warm.keep(instance.id, instance.revision, (workflow, waiting))

    event.listen(session, "after_commit", keep, once=True)
