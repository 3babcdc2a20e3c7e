"""Load a case under its lock, run the engine with services, and write back
everything the step changed — state, inbox rows, timers, mails, events — in
the caller's single transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer
from SpiffWorkflow.bpmn import BpmnWorkflow

from service.adapters.archive_store import DocumentStore
from service.adapters.clock import parse_instant
from service.adapters.mailer import Address
from service.engine import runner, serializer
from service.persistence.audit import append_event
from service.persistence.models import HumanTask, OutboxMail, ProcessDefinition, ProcessInstance, Timer
from service.service_tasks import registry
from service.service_tasks.context import ServiceContext, ThreadMail

from .calendar import load_calendar
from .context import AppContext
from .errors import NotFound
from .users import people_with_role


def load_specs(ctx: AppContext, definition: ProcessDefinition) -> tuple[Any, dict[str, Any]]:
    return ctx.cached_spec(definition.id, lambda: serializer.load_specs(definition.spec_json))


def lock_instance(session: Session, instance_id: int) -> ProcessInstance:
    instance = session.execute(
        select(ProcessInstance).where(ProcessInstance.id == instance_id).options(undefer(ProcessInstance.state_json))
        .with_for_update(of=ProcessInstance).execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if instance is None:
        raise NotFound(f"no such case: {instance_id}")
    return instance


def load_workflow(ctx: AppContext, instance: ProcessInstance) -> BpmnWorkflow:
    spec, subs = load_specs(ctx, instance.definition)
    return serializer.load_state(instance.state_json, spec, subs)


@dataclass
class ServiceCall:
    element_id: str
    operation: str
    params: dict[str, Any]
    result: Any


@dataclass
class StepServices:
    """The service handler for one engine step; remembers each call for the audit log.

    The context (calendar, mail thread) is read only when a service task actually runs:
    most steps call none and should not pay for those queries.
    """

    build: Callable[[], ServiceContext]
    calls: list[ServiceCall] = field(default_factory=list)
    _context: ServiceContext | None = None

    @property
    def context(self) -> ServiceContext:
        if self._context is None:
            self._context = self.build()
        return self._context

    @property
    def used(self) -> bool:
        return self._context is not None

    def __call__(self, operation: str, params: dict[str, Any], data: Any, task: Any) -> Any:
        self.context.data = dict(data)
        result = registry.call(operation, self.context, params)
        self.calls.append(ServiceCall(task.task_spec.bpmn_id, operation, _jsonable(params), _jsonable(result)))
        return result


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def step_services(ctx: AppContext, session: Session, instance: ProcessInstance, now: datetime) -> StepServices:
    return StepServices(lambda: _service_context(ctx, session, instance, now))


def _service_context(ctx: AppContext, session: Session, instance: ProcessInstance, now: datetime) -> ServiceContext:
    # linked cases (deviations, conflicts) write in the thread of the request they belong to
    root = instance.parent_id or instance.id
    linked = select(ProcessInstance.id).where(ProcessInstance.parent_id == root)
    thread = [ThreadMail(m.message_id, m.subject) for m in session.execute(
        select(OutboxMail).where(OutboxMail.instance_id.in_(linked) | (OutboxMail.instance_id == root),
                                 OutboxMail.thread_root.is_not(None)).order_by(OutboxMail.id)).scalars()]
    settings = ctx.settings
    return ServiceContext(
        now=now, calendar=load_calendar(session, ctx), instance_id=instance.id, process_id=instance.process_id,
        business_key=instance.business_key, people_with_role=lambda role: people_with_role(session, role),
        sender=Address("规程 Guicheng", settings.mail_sender), mail_domain=settings.mail_domain, thread=thread,
        documents=DocumentStore(settings.home))


def _due_at(ctx: AppContext, meta: dict[str, Any], data: dict[str, Any]) -> datetime | None:
    variable = meta.get("due")
    value = data.get(variable) if variable else None
    if not value:
        return None
    try:
        return parse_instant(str(value), ctx.tz)
    except ValueError:
        return None


def _sync_tasks(ctx: AppContext, session: Session, instance: ProcessInstance, workflow: BpmnWorkflow,
                now: datetime) -> list[HumanTask]:
    ready = {t.task_id: t for t in runner.ready_user_tasks(workflow)}
    open_rows = session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.status == "open")).scalars().all()
    open_rows = [row for row in open_rows if row.status == "open"]  # not the one completed in this step
    for row in open_rows:
        if row.engine_task_id not in ready:
            row.status, row.completed_at = "cancelled", now  # e.g. interrupted by a boundary timer
    known = {row.engine_task_id for row in open_rows}
    created = []
    tasks_meta = instance.definition.meta.get("tasks", {})
    for task_id, task in ready.items():
        if task_id in known:
            continue
        meta = tasks_meta.get(task.element_id, {})
        row = HumanTask(instance_id=instance.id, engine_task_id=task_id, element_id=task.element_id,
                        name=task.name, role=meta.get("role") or "", form_key=meta.get("form"),
                        due_at=_due_at(ctx, meta, task.data), status="open", created_at=now)
        session.add(row)
        created.append(row)
    return created


def _sync_timers(session: Session, instance: ProcessInstance, workflow: BpmnWorkflow) -> None:
    waiting = {t.task_id: t for t in runner.pending_timers(workflow)}
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


def _queue_mails(session: Session, instance: ProcessInstance, services: StepServices, now: datetime) -> None:
    if not services.used:
        return
    thread = services.context.thread
    members = {m.message_id for m in thread}
    for mail in services.context.outgoing:
        root = thread[0].message_id if mail.message_id in members else None  # reminders stand alone
        session.add(OutboxMail(
            instance_id=instance.id, message_id=mail.message_id, thread_root=root, in_reply_to=mail.in_reply_to,
            references=list(mail.references), subject=mail.subject,
            sender={"name": mail.sender.name, "email": mail.sender.email},
            to=[{"name": a.name, "email": a.email} for a in mail.to],
            cc=[{"name": a.name, "email": a.email} for a in mail.cc],
            body=mail.body, status="pending", attempts=0, created_at=now))


def save_step(ctx: AppContext, session: Session, instance: ProcessInstance, workflow: BpmnWorkflow,
              services: StepServices, *, actor: str, now: datetime) -> None:
    """Write the step's consequences and its service results to the log, after the caller's own event."""
    for call in services.calls:
        append_event(session, type="service_task", actor="system", at=now, instance_id=instance.id,
                     payload={"element_id": call.element_id, "operation": call.operation,
                              "params": call.params, "result": call.result})
    instance.state_json = serializer.dump_state(workflow)
    instance.data = _jsonable(runner.case_data(workflow))
    instance.updated_at = now
    created = _sync_tasks(ctx, session, instance, workflow, now)
    _sync_timers(session, instance, workflow)
    _queue_mails(session, instance, services, now)
    if runner.is_completed(workflow) and instance.status != "completed":
        instance.status, instance.completed_at = "completed", now
        append_event(session, type="case_completed", actor=actor, at=now, instance_id=instance.id,
                     payload={"data": instance.data})
    session.flush()
    for row in created:
        append_event(session, type="task_created", actor="system", at=now, instance_id=instance.id,
                     payload={"task_id": row.id, "element_id": row.element_id, "name": row.name, "role": row.role,
                              "due_at": row.due_at.isoformat() if row.due_at else None})
