"""Open the cases steps asked for (a visit plan's dispatch orders): each exactly once, by the worker.

A step's operation cannot open a case (operations never touch the database, and a case started inside
another case's step would share its transaction and its retries). So the step's write phase records
each request as a `case_starts` row in the step's own transaction (`record_case_starts`), and the worker
drains the rows: a short claiming transaction leases a batch (SKIP LOCKED on PostgreSQL, as timers do),
then each row is opened with `cases.start_case` as the requesting case's starter, and marked `done` with
the new case's id in a transaction of its own that also writes an event on both cases.

Exactly once. The case is opened and the row marked in two transactions, so a worker may die between
them: the case exists and its row still says pending. Before opening, the worker therefore looks for a
case this row already opened — same process, business key and starter, started no earlier than the
request, and not the case of any other row (`case_id` is unique) — and marks the row with that case
instead of opening another. A matching case still `starting` is a start in progress (or one that
crashed, which the worker clears away after a while): the row waits for a later round. Two workers
never hold one row: the lease keeps the others off it, and the marking transaction re-reads the row
under lock, so a second marking of a row already done changes nothing.

A start that fails (the process is not deployed, the starter lost the role, the order's start form
refuses the data) marks the row `failed` with the reason, opens an incident on the requesting case and
writes the reason in its history; the requesting case goes on (a plan keeps its later visits), and the
worker tries the row again after the timers' backoff (1, 2, 4 … 120 minutes, then only by hand). One
failing row never holds up the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.domain.messages import Message
from service.persistence.audit import append_event
from service.persistence.case_start_models import CaseStart
from service.persistence.models import Incident, ProcessInstance

from . import cases
from .case_store import StepOutcome, lock_instance
from .context import AppContext
from .errors import OperationError, ValidationFailed
from .step_services import as_logged
from .timers import RETRY_BACKOFF, real_now
from .unit_of_work import run_step

log = logging.getLogger("guicheng.worker")
LEASE = timedelta(minutes=5)
BATCH = 20
OPENED_EVENT = "case_opened"  # in the requesting case's history: which case its request opened
OPENED_BY_EVENT = "opened_by_case"  # in the new case's history: which case asked for it
FAILED_EVENT = "case_start_failed"  # in the requesting case's history: why it could not be opened


# --- the write phase of the requesting step ---------------------------------------------------------


def _element_of(outcome: StepOutcome, request: dict[str, Any]) -> str:
    """The service task whose result is this request (operations return what they ask for)."""
    logged = as_logged(request)
    return next((c.element_id for c in outcome.calls if c.result == logged), "")


def record_case_starts(session: Session, instance: ProcessInstance, outcome: StepOutcome, now: datetime) -> None:
    """The step's requests as pending rows, in the step's transaction (called from `write_outcome`)."""
    for request in outcome.case_starts:
        session.add(CaseStart(
            instance_id=instance.id, element_id=_element_of(outcome, request)[:128],
            process_id=str(request["process_id"])[:128], business_key=str(request.get("business_key") or "")[:256],
            actor=instance.started_by, data=as_logged(dict(request.get("data") or {})), status="pending",
            attempts=0, created_at=now))


# --- the worker -------------------------------------------------------------------------------------


def claim_case_starts(ctx: AppContext, limit: int = BATCH) -> list[int]:
    """Lease up to `limit` rows to open now: pending ones, and failed ones whose backoff has passed."""
    lease_now = real_now()
    due = (CaseStart.status == "pending") | ((CaseStart.status == "failed") & (CaseStart.next_try_at <= lease_now))
    with ctx.db.transaction() as session:
        claimed = list(session.execute(
            select(CaseStart.id).where(
                due,
                CaseStart.claimed_until.is_(None) | (CaseStart.claimed_until < lease_now))
            .order_by(CaseStart.id).limit(limit).with_for_update(skip_locked=True)).scalars())
        if claimed:
            session.execute(update(CaseStart).where(CaseStart.id.in_(claimed)).values(claimed_until=lease_now + LEASE))
        return claimed


@dataclass(frozen=True)
class _Request:
    id: int
    instance_id: int
    element_id: str
    process_id: str
    business_key: str
    actor: str
    data: dict[str, Any]
    created_at: datetime


def _read(session: Session, row_id: int) -> _Request | None:
    row = session.get(CaseStart, row_id)
    if row is None or row.status == "done":
        return None
    return _Request(row.id, row.instance_id, row.element_id, row.process_id, row.business_key, row.actor,
                    dict(row.data or {}), row.created_at)


def _opened_before(session: Session, request: _Request) -> int | str | None:
    """The case this request already opened (a crash came before its row was marked), "starting" when
    such a case is still being opened, else None."""
    taken = select(CaseStart.case_id).where(CaseStart.case_id.is_not(None), CaseStart.id != request.id)
    found = session.execute(
        select(ProcessInstance.id, ProcessInstance.status).where(
            ProcessInstance.process_id == request.process_id, ProcessInstance.business_key == request.business_key,
            ProcessInstance.started_by == request.actor, ProcessInstance.started_at >= request.created_at,
            ProcessInstance.id.not_in(taken)).order_by(ProcessInstance.id)).all()
    done = [case_id for case_id, status in found if status != "starting"]
    if done:
        return int(done[0])
    return "starting" if found else None


def open_requested_case(ctx: AppContext, row_id: int, *, actor: str = "worker") -> str:
    """Open one requested case: "opened", "recovered" (opened before a crash, now marked), "failed",
    or "skipped" (done already, or its start is still in progress)."""
    with ctx.db.reading() as session:
        request = _read(session, row_id)
        before = _opened_before(session, request) if request is not None else None
    if request is None or before == "starting":
        return "skipped"
    if isinstance(before, int):
        _mark_opened(ctx, request, before, recovered=True, actor=actor)
        return "recovered"
    try:
        case_id = cases.start_case(ctx, process_id=request.process_id, actor=request.actor, data=request.data,
                                   business_key=request.business_key)
    except OperationError as exc:
        log.warning("case start %s (%s) failed: %s", row_id, request.business_key, exc.code)
        _mark_failed(ctx, request, exc, actor=actor)
        return "failed"
    _mark_opened(ctx, request, case_id, recovered=False, actor=actor)
    return "opened"


def _mark_opened(ctx: AppContext, request: _Request, case_id: int, *, recovered: bool, actor: str) -> None:
    now = ctx.now()

    def attempt() -> None:
        with ctx.db.transaction() as session:
            requester = lock_instance(session, request.instance_id)  # the requesting case first, then the new one
            opened = lock_instance(session, case_id)
            row = session.get(CaseStart, request.id, with_for_update=True, populate_existing=True)
            if row is None or row.status == "done":
                return
            was_failed = row.status == "failed"
            row.status, row.case_id, row.opened_at = "done", case_id, now
            row.claimed_until, row.next_try_at, row.error = None, None, None
            common = {"case_start_id": row.id, "element_id": row.element_id, "process_id": row.process_id,
                      "business_key": row.business_key}
            append_event(session, type=OPENED_EVENT, actor=actor, at=now, case=requester,
                         payload={**common, "linked_case": case_id, "recovered": recovered})
            append_event(session, type=OPENED_BY_EVENT, actor=actor, at=now, case=opened,
                         payload={**common, "linked_case": requester.id})
            if was_failed and row.incident_id is not None:
                _resolve(session, requester, row.incident_id, actor, now)
            ctx.hooks.fire_before_commit("case_start")
    run_step(attempt, what=f"marking case start {request.id}")


def _resolve(session: Session, requester: ProcessInstance, incident_id: int, actor: str, now: datetime) -> None:
    incident = session.get(Incident, incident_id, with_for_update=True)
    if incident is None or incident.status != "open":
        return
    incident.status, incident.resolved_at, incident.resolved_by = "resolved", now, actor
    incident.updated_at, incident.next_retry_at = now, None
    append_event(session, type="incident_resolved", actor=actor, at=now, case=requester,
                 payload={"incident_id": incident.id, "element_id": incident.element_id})


def failure_text(request_key: str, exc: OperationError) -> str:
    """The reason in both languages (the incident shows it as it is), with the form's field errors."""
    def said(lang: str) -> str:
        error = exc.render(lang)
        if isinstance(exc, ValidationFailed) and exc.errors:
            error += "（" if lang == "zh" else " ("
            error += "；".join(f"{k}: {v}" for k, v in exc.field_errors(lang).items()) if lang == "zh" else \
                "; ".join(f"{k}: {v}" for k, v in exc.field_errors(lang).items())
            error += "）" if lang == "zh" else ")"
        return Message("case_start.failed", {"business_key": request_key, "error": error}).render(lang)
    return f"{said('zh')} / {said('en')}"[:4000]


def _mark_failed(ctx: AppContext, request: _Request, exc: OperationError, *, actor: str) -> None:
    now, text = ctx.now(), failure_text(request.business_key, exc)

    def attempt() -> None:
        with ctx.db.transaction() as session:
            requester = lock_instance(session, request.instance_id)
            row = session.get(CaseStart, request.id, with_for_update=True, populate_existing=True)
            if row is None or row.status == "done":
                return
            row.attempts += 1
            backoff = RETRY_BACKOFF[row.attempts - 1] if row.attempts <= len(RETRY_BACKOFF) else None
            row.status, row.error, row.claimed_until = "failed", text, None
            row.next_try_at = real_now() + backoff if backoff else None
            incident = session.get(Incident, row.incident_id) if row.incident_id is not None else None
            if incident is None or incident.status != "open":
                incident = Incident(instance_id=requester.id, timer_id=None, element_id=row.element_id or "—",
                                    message=text, status="open", attempts=0, created_at=now, updated_at=now)
                session.add(incident)
            incident.attempts += 1
            incident.message, incident.updated_at, incident.next_retry_at = text, now, row.next_try_at
            session.flush()
            row.incident_id = incident.id
            append_event(session, type=FAILED_EVENT, actor=actor, at=now, case=requester, payload={
                "case_start_id": row.id, "element_id": row.element_id, "process_id": row.process_id,
                "business_key": row.business_key, "error": text, "attempts": row.attempts,
                "incident_id": incident.id,
                "next_try_at": row.next_try_at.isoformat() if row.next_try_at else None})
    run_step(attempt, what=f"recording the failed case start {request.id}")


def open_requested_cases(ctx: AppContext) -> dict[str, int]:
    """The worker's share: every row due now, batch after batch; counts by result.

    A row left unopened (its start still in progress) stays leased, so the drain does not come back
    to it and ends; a later round takes it once the lease has run out."""
    counts = {"opened": 0, "recovered": 0, "failed": 0, "skipped": 0}
    while batch := claim_case_starts(ctx):
        for row_id in batch:
            try:
                result = open_requested_case(ctx, row_id)
            except OperationError as exc:  # the marking kept meeting a changing case: a later round
                log.warning("case start %s not marked: %s", row_id, exc.code)
                result = "skipped"
            counts[result] += 1
    return counts


def case_starts_of(ctx: AppContext, instance_id: int) -> list[dict[str, Any]]:
    """What a case asked to open, oldest first: status, the case it opened, the reason it failed."""
    with ctx.db.reading() as session:
        rows = session.execute(select(CaseStart).where(CaseStart.instance_id == instance_id)
                               .order_by(CaseStart.id)).scalars().all()
        return [{"id": r.id, "element_id": r.element_id, "process_id": r.process_id, "business_key": r.business_key,
                 "status": r.status, "case_id": r.case_id, "attempts": r.attempts, "error": r.error,
                 "incident_id": r.incident_id, "data": r.data} for r in rows]
