"""A message start event: a BPMN message that begins a new case of the process that waits for it.

Taken when no running case took the message. The sender must hold one of the process's start roles
(or be an administrator); a customer contact starts cases of their own company only. One step and one
`case_started` event per case, carrying the message: replay starts the case and delivers the message
in the same seeded step, as it ran here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.access import Viewer
from service.domain.business_key import derive_business_key
from service.domain.input_limits import business_key_problem
from service.domain.messages import Message
from service.engine import message_events, runner
from service.persistence.audit import append_event
from service.persistence.models import ProcessDefinition, ProcessInstance

from .case_store import StepOutcome, load_specs, lock_instance, outcome_of, write_outcome
from .context import AppContext
from .errors import Forbidden, ValidationFailed
from .message_delivery import ADMIN_ROLE, BUSINESS_KEY, MessageRequest, acting_viewer, message_payload
from .step_rows import WaitedOn
from .step_services import CaseIdentity, as_logged, step_services
from .timers import real_now
from .unit_of_work import engine_guard


def _processes_starting(ctx: AppContext, session: Session, name: str) -> list[ProcessDefinition]:
    """The latest version of each process that begins at a message start event for `name`."""
    latest: dict[str, ProcessDefinition] = {}
    for definition in session.execute(select(ProcessDefinition).order_by(ProcessDefinition.version)).scalars():
        latest[definition.process_id] = definition
    found = []
    for definition in latest.values():
        spec, _subs = load_specs(ctx, definition)
        if name in message_events.message_start_events(spec):
            found.append(definition)
    return sorted(found, key=lambda d: d.process_id)


def _check_may_start(session: Session, viewer: Viewer, definition: ProcessDefinition, request: MessageRequest) -> None:
    roles = set(definition.meta.get("start_roles") or [])
    if ADMIN_ROLE not in viewer.roles and roles and not roles & viewer.roles:
        raise Forbidden("bpmn_message.may_not_start", user=viewer.username, name=request.name,
                        process=definition.process_id, roles=", ".join(sorted(roles)))
    customer = request.data.get("customer")
    if viewer.is_customer and customer is not None and customer != viewer.company:
        raise ValidationFailed("bpmn_message.refused", {"data.customer": Message(
            "bpmn_message.other_customer", {"company": viewer.company or "—"})})


def start_by_message(ctx: AppContext, actor: str, request: MessageRequest) -> list[int]:
    """Start a case of every process whose start event catches the message; the new case ids."""
    with ctx.db.reading() as session:
        definitions = _processes_starting(ctx, session, request.name)
        viewer = acting_viewer(session, actor)
        for definition in definitions:
            _check_may_start(session, viewer, definition, request)
    started = []
    for definition in definitions:
        key = str(request.correlation.get(BUSINESS_KEY) or derive_business_key(request.data))
        problem = business_key_problem(key)
        if problem:
            raise ValidationFailed("bpmn_message.refused", {"correlation.business_key": problem})
        started.append(_start_one(ctx, definition, key, actor, request))
    return started


def _sender_company(ctx: AppContext, actor: str) -> str | None:
    """A customer contact's case belongs to their company (else they could not see what they started)."""
    with ctx.db.reading() as session:
        viewer = acting_viewer(session, actor)
    return viewer.company if viewer.is_customer else None


def _start_one(ctx: AppContext, definition: ProcessDefinition, key: str, actor: str, request: MessageRequest) -> int:
    now = ctx.now()
    values = as_logged({"received_at": now.astimezone(ctx.tz).isoformat(), "started_by": actor, "business_key": key,
                        **({"customer": company} if (company := _sender_company(ctx, actor)) else {})})
    with ctx.db.transaction() as session:  # the row gives the case its id before the engine runs
        instance = ProcessInstance(definition_id=definition.id, process_id=definition.process_id, business_key=key,
                                   status="starting", state_json="{}", data={}, started_by=actor, started_at=now,
                                   updated_at=real_now())
        session.add(instance)
        session.flush()
        case_id = instance.id
    try:
        outcome = _run_message_start(ctx, definition, case_id, key, values, request, now)
        with ctx.db.transaction() as session:
            instance = lock_instance(session, case_id)
            instance.status, instance.customer = "running", outcome.customer
            append_event(session, type="case_started", actor=actor, at=now, case=instance, payload={
                "process_id": definition.process_id, "version": definition.version,
                "content_hash": definition.content_hash, "business_key": key, "data": values,
                "message": {"name": request.name, "correlation": request.correlation, "data": request.data},
                **outcome.replay_record()})
            write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx)
            ctx.hooks.fire_before_commit("start")
    except BaseException:
        with ctx.db.transaction() as session:
            reserved = session.get(ProcessInstance, case_id)
            if reserved is not None and reserved.status == "starting":
                session.delete(reserved)
        raise
    return case_id


def start_with_message(spec: Any, subs: dict[str, Any], values: Mapping[str, Any], message: Mapping[str, Any], *,
                       now: datetime, service_handler: Any, limits: Any) -> Any:
    """The engine part of a message start, shared with replay: start, then catch the message."""
    workflow = runner.start(spec, subs, values, now=now, service_handler=service_handler, limits=limits)
    payload = message_payload(message.get("correlation") or {}, message.get("data") or {})
    caught = message_events.deliver(workflow, str(message.get("name")), payload, now=now,
                                    service_handler=service_handler, limits=limits)
    if not caught:
        raise message_events.MessageNotUsable(f"{message.get('name')}: the process did not start at its message "
                                              "start event (another start event ran first)")
    return workflow


def _run_message_start(ctx: AppContext, definition: ProcessDefinition, case_id: int, key: str,
                       values: dict[str, Any], request: MessageRequest, now: datetime) -> StepOutcome:
    services = step_services(ctx, CaseIdentity(case_id, definition.process_id, key, None), now)
    message = {"name": request.name, "correlation": request.correlation, "data": request.data}
    try:
        spec, subs = load_specs(ctx, definition)
        with services.seeded():
            workflow = engine_guard(lambda: start_with_message(spec, subs, values, message, now=now,
                                                               service_handler=services,
                                                               limits=ctx.evaluation_limits))
        return outcome_of(ctx, definition, workflow, services, None, before=WaitedOn())
    finally:
        services.close()
