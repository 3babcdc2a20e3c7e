"""A case step in three phases: read a snapshot, run the engine with no lock held, write the outcome.

Why three phases: diagram scripts and service tasks may take their whole budget; run inside a write
transaction they would hold the case row (PostgreSQL) or the whole database (SQLite) meanwhile. So the
engine runs on a snapshot, and the write phase — case row locked first, then its rows — checks that the
case is still at the snapshot's revision before it writes state, inbox rows, timers, mails and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from service.adapters.clock import parse_instant
from service.adapters.mailer import OutgoingMail
from service.domain.access import CUSTOMER_ROLE
from service.engine import runner, safe_eval, serializer
from service.persistence.audit import append_event, state_digest
from service.persistence.models import HumanTask, OutboxMail, ProcessDefinition, ProcessInstance, Timer, User, UserRole

from .context import AppContext
from .errors import NotFound
from .mail_readers import copy_for_diagram, copy_to_mail_readers
from .notify import notify_assignee
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


def lock_instance(session: Session, instance_id: int) -> ProcessInstance:
    """The first lock of every case step: the case row (then its task, timer and mail rows)."""
    instance = session.execute(
        select(ProcessInstance).where(ProcessInstance.id == instance_id)
        .with_for_update(of=ProcessInstance).execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if instance is None:
        raise NotFound("case.missing", case=instance_id)
    return instance


def lock_snapshot(session: Session, instance_id: int, revision: int) -> ProcessInstance:
    instance = lock_instance(session, instance_id)
    if instance.revision != revision:
        raise CaseChanged(f"case {instance_id} changed (revision {revision} → {instance.revision})")
    return instance


@dataclass(frozen=True)
class CaseSnapshot:
    """A case as read before the engine runs; the definition is immutable, so sharing it is safe."""

    id: int
    revision: int
    state_json: str
    definition: ProcessDefinition
    process_id: str
    business_key: str
    parent_id: int | None
    status: str


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


def snapshot_of(instance: ProcessInstance) -> CaseSnapshot:
    """The snapshot of a case row already loaded in the caller's read session."""
    return CaseSnapshot(instance.id, instance.revision, instance.state_json, instance.definition,
                        instance.process_id, instance.business_key, instance.parent_id, instance.status)


def load_workflow(ctx: AppContext, snapshot: CaseSnapshot | ProcessInstance) -> BpmnWorkflow:
    spec, subs = load_specs(ctx, snapshot.definition)
    return serializer.load_state(snapshot.state_json, spec, subs)


# --- the outcome of one engine run, computed before any lock is taken ---------------------------


@dataclass(frozen=True)
class ReadyTask:
    task_id: str
    element_id: str
    name: str
    role: str
    form_key: str | None
    due_at: datetime | None
    assignee: str | None
    assignee_problem: str | None = None


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
    engine_seed: str = ""

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


def _ready_tasks(ctx: AppContext, definition: ProcessDefinition, workflow: BpmnWorkflow) -> list[ReadyTask]:
    tasks_meta = definition.meta.get("tasks", {})
    found = []
    for task in runner.ready_user_tasks(workflow):
        meta = tasks_meta.get(task.element_id, {})
        assignee, problem = _assignee(meta, task.data)
        found.append(ReadyTask(task.task_id, task.element_id, task.name, meta.get("role") or "", meta.get("form"),
                               _due_at(ctx, meta, task.data), assignee, problem))
    return found


def _customer(data: dict[str, Any], fallback: str | None) -> str | None:
    value = data.get("customer")
    return str(value).strip()[:128] if isinstance(value, str) and value.strip() else fallback


def outcome_of(ctx: AppContext, definition: ProcessDefinition, workflow: BpmnWorkflow, services: StepServices,
               customer: str | None = None) -> StepOutcome:
    data = as_logged(runner.case_data(workflow))
    context = services.context if services.used else None
    return StepOutcome(
        state_json=serializer.dump_state(workflow), data=data, completed=runner.is_completed(workflow),
        ready=_ready_tasks(ctx, definition, workflow), timers=runner.pending_timers(workflow),
        calls=list(services.calls), mails=list(context.outgoing) if context else [],
        thread=[m.message_id for m in context.thread] if context else [],
        customer=_customer(data, customer), copies=list(context.copies) if context else [],
        engine_seed=services.seed)


# --- the write phase ------------------------------------------------------------------------------


def _valid_assignees(session: Session, ready: list[ReadyTask], customer: str | None) -> list[ReadyTask]:
    """A named assignee must be an active user holding the task's role (a customer contact: of the
    case's customer); otherwise the task stays with the role (and the event says why), so a typo
    never strands a task with nobody and never hands a case to another customer."""
    named = {t.assignee for t in ready if t.assignee}
    if not named:
        return ready
    holders = {(name, role): company for name, role, company in session.execute(
        select(User.username, UserRole.role, User.company).join(UserRole)
        .where(User.username.in_(sorted(named)), User.active.is_(True)))}
    checked = []
    for task in ready:
        key = (task.assignee or "", task.role)
        if task.assignee and key not in holders:
            problem = f"'{task.assignee}' is not an active user with the role '{task.role}'"
            task = replace(task, assignee=None, assignee_problem=problem)
        elif task.assignee and task.role == CUSTOMER_ROLE and holders[key] != customer:
            problem = f"'{task.assignee}' is not a contact of the case's customer '{customer}'"
            task = replace(task, assignee=None, assignee_problem=problem)
        checked.append(task)
    return checked


def _sync_tasks(session: Session, instance: ProcessInstance, ready: list[ReadyTask], now: datetime) -> list[HumanTask]:
    by_id = {t.task_id: t for t in ready}
    # a task waiting for an added signer (加签) and its signer rows are as alive as its diagram task
    live = ("open", "waiting", "pending")
    open_rows = [row for row in session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.status.in_(live))).scalars() if row.status in live]
    for row in open_rows:
        if row.engine_task_id not in by_id:
            row.status, row.completed_at = "cancelled", now  # e.g. interrupted by a boundary timer
    known = {row.engine_task_id for row in open_rows}
    created = []
    for task in ready:
        if task.task_id in known:
            continue
        row = HumanTask(instance_id=instance.id, engine_task_id=task.task_id, element_id=task.element_id,
                        name=task.name, role=task.role, form_key=task.form_key, due_at=task.due_at,
                        assignee=task.assignee, status="open", created_at=now)
        session.add(row)
        created.append(row)
    return created


def _sync_timers(session: Session, instance: ProcessInstance, timers: list[runner.PendingTimer]) -> None:
    waiting = {t.task_id: t for t in timers}
    rows = [row for row in session.execute(select(Timer).where(Timer.instance_id == instance.id,
                                                               Timer.status == "pending")).scalars()
            if row.status == "pending"]  # not the one fired in this step
    for row in rows:
        if row.engine_task_id not in waiting:
            row.status = "cancelled"
    known = {row.engine_task_id for row in rows}
    for task_id, timer in waiting.items():
        if task_id not in known:
            session.add(Timer(instance_id=instance.id, engine_task_id=task_id, element_id=timer.element_id,
                              due_at=timer.due_at, status="pending"))


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
                  now: datetime, ctx: AppContext) -> None:
    """Write a step's consequences to the locked case, after the caller's own event."""
    for call in outcome.calls:
        append_event(session, type="service_task", actor="system", at=now, case=instance,
                     payload={"element_id": call.element_id, "operation": call.operation,
                              "params": call.params, "result": call.result})
    from .parent_case import apply_parent_changes  # a linked case's change to its request: same transaction

    apply_parent_changes(ctx, session, instance, outcome.calls, now)
    instance.state_json, instance.data, instance.updated_at = outcome.state_json, outcome.data, now
    instance.customer = outcome.customer
    ready = _valid_assignees(session, outcome.ready, outcome.customer)
    created = _sync_tasks(session, instance, ready, now)
    _sync_timers(session, instance, outcome.timers)
    _queue_mails(session, instance, outcome, now)
    if outcome.completed and instance.status != "completed":
        instance.status, instance.completed_at = "completed", now
        append_event(session, type="case_completed", actor=actor, at=now, case=instance,
                     payload={"data": instance.data})
    session.flush()  # the new task rows' ids go into their events
    problems = {t.task_id: t.assignee_problem for t in ready if t.assignee_problem}
    for row in created:
        payload = {"task_id": row.id, "engine_task_id": row.engine_task_id, "element_id": row.element_id,
                   "name": row.name, "role": row.role,
                   "assignee": row.assignee, "due_at": row.due_at.isoformat() if row.due_at else None}
        if row.engine_task_id in problems:
            payload["assignee_problem"] = problems[row.engine_task_id]
        if row.assignee and row.assignee != actor:  # whoever just did the step knows what comes next
            payload["notified"] = notify_assignee(ctx, session, row, now)
        append_event(session, type="task_created", actor="system", at=now, case=instance, payload=payload)
