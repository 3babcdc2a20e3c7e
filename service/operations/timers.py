"""Fire a due timer as a case step; a step that fails becomes an incident, never a hot loop.

Several workers may run: a worker first takes a lease on a batch of due timer rows (a short
transaction, SKIP LOCKED on PostgreSQL) so the others pass them by; the step itself is the usual unit of work, whose
revision check makes sure a timer fires once even if a lease ran out while a slow worker held it.
Leases and retry times are measured on the real clock: they are about machines, not business days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, lazyload, undefer

from service.engine import runner
from service.persistence.audit import append_event, assume_marker, system_marker
from service.persistence.models import Incident, ProcessInstance, Timer

from .case_store import (
    CaseChanged,
    CaseSnapshot,
    lock_instance,
    lock_snapshot_with,
    snapshot_of,
    write_outcome,
)
from .context import AppContext
from .unit_of_work import CaseFailed, compute_step, run_step

LEASE = timedelta(minutes=5)
RETRY_BACKOFF = [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 120)]  # then only by hand


def real_now() -> datetime:
    return datetime.now(UTC)


def claim_due_timers(ctx: AppContext, now: datetime, limit: int) -> list[tuple[int, int]]:
    """Lease up to `limit` of the earliest due timers of running cases: (timer id, case id) each.

    One short transaction per batch: on PostgreSQL SKIP LOCKED lets another worker take the next
    batch at the same moment; on SQLite the write transaction itself makes claimers take turns."""
    lease_now = real_now()
    with ctx.db.transaction() as session:
        claimed = [(t, i) for t, i in session.execute(
            select(Timer.id, Timer.instance_id).join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
            .where(Timer.status == "pending", Timer.due_at <= now, ProcessInstance.status == "running",
                   (Timer.claimed_until.is_(None)) | (Timer.claimed_until < lease_now))
            .order_by(Timer.due_at, Timer.id).limit(limit).with_for_update(of=Timer, skip_locked=True))]
        if claimed:
            session.execute(update(Timer).where(Timer.id.in_([t for t, _ in claimed]))
                            .values(claimed_until=lease_now + LEASE))
        return claimed


TimerSnapshot = tuple[str, CaseSnapshot] | None  # the timer's element and its case; None: nothing to do


def timer_snapshots(ctx: AppContext, timer_ids: list[int]) -> dict[int, TimerSnapshot]:
    """Each timer's element and its case's snapshot, for a whole batch in one read."""
    with ctx.db.reading() as session:
        found = session.execute(
            select(ProcessInstance, Timer.id, Timer.status, Timer.element_id)
            .join(Timer, Timer.instance_id == ProcessInstance.id).where(Timer.id.in_(timer_ids))
            .options(undefer(ProcessInstance.state_json))).unique().all()
        snapshots: dict[int, TimerSnapshot] = dict.fromkeys(timer_ids)
        reference = system_marker(session) if found else None  # one version of the reference data per batch
        for row in found:
            if row.status in ("pending", "incident"):
                snapshots[row.id] = row.element_id, snapshot_of(row.ProcessInstance, reference)
        return snapshots


def fire_timer(ctx: AppContext, timer_id: int, now: datetime, *, actor: str = "worker",
               read: dict[int, TimerSnapshot] | None = None) -> str:
    """Run the case's due steps: "fired", "incident" (the step failed) or "skipped" (nothing to do).

    `read`: the batch's snapshots, read together; only the first attempt uses them, a retry reads afresh."""
    first = [read[timer_id]] if read is not None and timer_id in read else []

    def attempt() -> str:
        found = first.pop() if first else timer_snapshots(ctx, [timer_id])[timer_id]
        return _fire_once(ctx, timer_id, found, now, actor)
    return run_step(attempt, what=f"timer {timer_id}")


_CASE_AND_TIMER = (  # built once: composing it costs more than running it
    select(ProcessInstance, Timer).join(Timer, Timer.instance_id == ProcessInstance.id)
    .where(ProcessInstance.id == bindparam("case"), Timer.id == bindparam("timer"))
    .options(lazyload(ProcessInstance.definition))  # the snapshot has it
    .with_for_update(of=ProcessInstance).execution_options(populate_existing=True))


def _lock_case_and_timer(session: Session, snapshot: CaseSnapshot, timer_id: int) -> tuple[ProcessInstance, Timer]:
    return lock_snapshot_with(session, _CASE_AND_TIMER, snapshot, {"timer": timer_id}, f"timer {timer_id} is gone")


def _fire_once(ctx: AppContext, timer_id: int, found: TimerSnapshot, now: datetime, actor: str) -> str:
    if found is None:
        return "skipped"
    element_id, snapshot = found
    if snapshot.status not in ("running", "error"):
        _cancel_timer(ctx, timer_id)
        return "skipped"
    try:
        outcome = compute_step(ctx, snapshot, now, lambda workflow, services: runner.run_engine(
            workflow, now=now, service_handler=services, limits=ctx.evaluation_limits))
    except CaseFailed as exc:
        open_incident(ctx, snapshot.id, timer_id, element_id, exc, now, actor=actor)
        return "incident"
    ctx.hooks.fire_after_engine("timer")
    with ctx.db.transaction() as session:
        assume_marker(session, snapshot.reference)
        instance, row = _lock_case_and_timer(session, snapshot, timer_id)
        if row.status not in ("pending", "incident"):
            raise CaseChanged(f"timer {timer_id} is {row.status}")
        had_incident = row.status == "incident"  # only a timer that failed before has incidents to resolve
        row.status, row.fired_at, row.claimed_until = "fired", now, None
        outcome.fired_timer = row.engine_task_id
        append_event(session, type="timer_fired", actor=actor, at=now, case=instance,
                     payload={"element_id": row.element_id, "due_at": row.due_at.isoformat(),
                              "engine_task_id": row.engine_task_id, **outcome.replay_record()})
        if had_incident or instance.status == "error":
            _resolve_incidents(session, instance, timer_id, actor, now)
        write_outcome(session, instance, outcome, actor=actor, now=now, ctx=ctx)
        ctx.hooks.fire_before_commit("timer")
    return "fired"


def _cancel_timer(ctx: AppContext, timer_id: int) -> None:
    with ctx.db.transaction() as session:
        timer = session.get(Timer, timer_id)
        if timer is not None:
            lock_instance(session, timer.instance_id)
            timer.status = "cancelled"


def _resolve_incidents(session, instance: ProcessInstance, timer_id: int, actor: str,  # type: ignore[no-untyped-def]
                       now: datetime) -> None:
    for incident in session.execute(select(Incident).where(Incident.timer_id == timer_id,
                                                           Incident.status == "open")).scalars():
        incident.status, incident.resolved_at, incident.resolved_by = "resolved", now, actor
        incident.updated_at, incident.next_retry_at = now, None
        append_event(session, type="incident_resolved", actor=actor, at=now, case=instance,
                     payload={"incident_id": incident.id, "element_id": incident.element_id})
    if instance.status == "error":
        instance.status, instance.error = "running", None


def open_incident(ctx: AppContext, instance_id: int, timer_id: int | None, element_id: str, exc: CaseFailed,
                  now: datetime, *, actor: str) -> None:
    """Record the failure on the case (status `error`) and when the worker tries again."""
    message = exc.cause[:4000]

    def attempt() -> None:
        with ctx.db.transaction() as session:
            instance = lock_instance(session, instance_id)
            incident = session.execute(select(Incident).where(Incident.instance_id == instance_id,
                                                              Incident.timer_id == timer_id,
                                                              Incident.status == "open")).scalars().first()
            if incident is None:
                incident = Incident(instance_id=instance_id, timer_id=timer_id, element_id=exc.element_id or element_id,
                                    message=message, status="open", attempts=0, created_at=now)
                session.add(incident)
            incident.attempts += 1
            incident.message, incident.updated_at = message, now
            backoff = RETRY_BACKOFF[incident.attempts - 1] if incident.attempts <= len(RETRY_BACKOFF) else None
            incident.next_retry_at = real_now() + backoff if backoff else None
            if timer_id is not None and (timer := session.get(Timer, timer_id)) is not None:
                timer.status, timer.claimed_until = "incident", None
            instance.status, instance.error = "error", message
            session.flush()
            append_event(session, type="incident_opened" if incident.attempts == 1 else "incident_retry_failed",
                         actor=actor, at=now, case=instance, payload={
                             "incident_id": incident.id, "element_id": incident.element_id, "error": message,
                             "attempts": incident.attempts,
                             "next_retry_at": incident.next_retry_at.isoformat() if incident.next_retry_at else None})
    run_step(attempt, what=f"recording an incident on case {instance_id}")
