"""Incidents: what the worker could not do on a case, and the administrator's way out of it.

Retry runs the failed step again now; cancel ends the case with a reason (its open tasks and timers
are cancelled). Both are case steps with their events; only administrators and process owners may.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from service.domain.messages import Message
from service.domain.task_actions import status_words
from service.persistence.audit import append_event
from service.persistence.models import Incident

from .case_closing import end_case
from .case_store import lock_instance
from .context import AppContext
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .timers import fire_timer, real_now
from .unit_of_work import run_step
from .users import find_user

INCIDENT_ROLES = {"admin", "process_owner"}


def incident_dict(ctx: AppContext, incident: Incident) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.astimezone(ctx.tz).isoformat() if value else None
    return {"id": incident.id, "instance_id": incident.instance_id, "element_id": incident.element_id,
            "message": incident.message, "status": incident.status, "attempts": incident.attempts,
            "next_retry_at": iso(incident.next_retry_at), "created_at": iso(incident.created_at),
            "resolved_at": iso(incident.resolved_at), "resolved_by": incident.resolved_by}


def list_incidents(ctx: AppContext, *, instance_id: int | None = None, status: str | None = "open") -> list[dict]:
    with ctx.db.reading() as session:
        query = select(Incident).order_by(Incident.id.desc())
        if instance_id is not None:
            query = query.where(Incident.instance_id == instance_id)
        if status:
            query = query.where(Incident.status == status)
        return [incident_dict(ctx, i) for i in session.execute(query.limit(500)).scalars()]


def _check_may_handle(ctx: AppContext, actor: str) -> None:
    with ctx.db.reading() as session:
        if not find_user(session, actor).role_ids & INCIDENT_ROLES:
            raise Forbidden("incident.may_not_handle", user=actor)


def _open_incident(ctx: AppContext, incident_id: int) -> Incident:
    with ctx.db.reading() as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("incident.missing", incident=incident_id)
        if incident.status != "open":
            raise Conflict("incident.already", incident=incident_id, status=status_words(incident.status))
        return incident


def retry_incident(ctx: AppContext, *, incident_id: int, actor: str) -> dict[str, Any]:
    """Run the failed step again now; the incident is resolved when it succeeds."""
    _check_may_handle(ctx, actor)
    incident = _open_incident(ctx, incident_id)
    if incident.timer_id is None:
        raise Conflict("incident.no_step", incident=incident_id)
    result = fire_timer(ctx, incident.timer_id, ctx.now(), actor=actor)
    with ctx.db.reading() as session:
        row = session.get(Incident, incident_id)
        assert row is not None
        return {"result": result, "incident": incident_dict(ctx, row)}


def retry_due_incidents(ctx: AppContext, now: datetime, limit: int = 100) -> int:
    """The worker's share: incidents whose backoff has passed, each tried once."""
    with ctx.db.reading() as session:
        due = session.execute(select(Incident.id, Incident.timer_id).where(
            Incident.status == "open", Incident.timer_id.is_not(None),
            Incident.next_retry_at <= real_now()).order_by(Incident.next_retry_at).limit(limit)).all()
    for incident_id, timer_id in due:
        assert timer_id is not None  # selected above
        with ctx.db.transaction() as session:  # take it off the due list first: one retry per round
            row = session.get(Incident, incident_id, with_for_update=True)
            if row is None or row.status != "open":
                continue
            row.next_retry_at = None
        fire_timer(ctx, timer_id, now)
    return len(due)


def cancel_case(ctx: AppContext, *, instance_id: int, actor: str, reason: str) -> None:
    """End a case for good: open tasks, timers and incidents cancelled, the reason in the log."""
    _check_may_handle(ctx, actor)
    if not reason or not reason.strip():
        raise ValidationFailed("case.cancel_reason", {"reason": Message("text.required", {
            "what": Message("what.cancel_reason")})}, case=instance_id)
    now = ctx.now()

    def attempt() -> None:
        with ctx.db.transaction() as session:
            instance = lock_instance(session, instance_id)
            if instance.status in ("completed", "cancelled"):
                raise Conflict("case.already", case=instance_id, status=status_words(instance.status))
            end_case(session, instance, actor=actor, now=now)
            append_event(session, type="case_cancelled", actor=actor, at=now, case=instance,
                         payload={"reason": reason.strip()})
    run_step(attempt, what=f"cancelling case {instance_id}")


def cancel_incident_case(ctx: AppContext, *, incident_id: int, actor: str, reason: str) -> int:
    """Cancel the case an open incident holds; returns the case id."""
    _check_may_handle(ctx, actor)
    incident = _open_incident(ctx, incident_id)
    cancel_case(ctx, instance_id=incident.instance_id, actor=actor, reason=reason)
    return incident.instance_id
