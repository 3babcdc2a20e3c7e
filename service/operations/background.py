"""The worker's round: fire due timers, retry incidents whose backoff passed, deliver the outbox,
checkpoint the audit chains, clear away cases whose start never finished. Each item is its own unit
of work, so any number of workers can share the queues and a crash loses nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from service.adapters.mailer import MailSender, sender_from_url
from service.persistence.audit import write_checkpoint
from service.persistence.models import AuditCheckpoint, ProcessInstance

from .context import AppContext
from .incidents import retry_due_incidents
from .outbox import send_next_mail
from .timers import claim_due_timer, fire_timer, real_now

log = logging.getLogger("guicheng.worker")
CHECKPOINT_INTERVAL = timedelta(minutes=10)
ABANDONED_START = timedelta(minutes=10)


@dataclass
class WorkReport:
    timers_fired: int = 0
    incidents: int = 0
    mails_sent: int = 0
    failures: int = 0


def fire_next_timer(ctx: AppContext, now: datetime) -> str | None:
    """Fire the earliest due timer: "fired", "incident", "skipped"; None when none is due."""
    timer_id = claim_due_timer(ctx, now)
    if timer_id is None:
        return None
    return fire_timer(ctx, timer_id, now)


def checkpoint_if_due(ctx: AppContext, *, force: bool = False) -> bool:
    with ctx.db.transaction() as session:
        last = session.execute(select(AuditCheckpoint.created_at).order_by(AuditCheckpoint.id.desc())
                               .limit(1)).scalar()
        if not force and last is not None and real_now() - last < CHECKPOINT_INTERVAL:
            return False
        return write_checkpoint(session, real_now()) is not None


def clear_abandoned_starts(ctx: AppContext) -> int:
    """A start that crashed between reserving its id and writing its first step leaves a bare row."""
    cutoff = real_now() - ABANDONED_START
    with ctx.db.transaction() as session:
        rows = session.execute(select(ProcessInstance).where(ProcessInstance.status == "starting",
                                                             ProcessInstance.updated_at < cutoff)).scalars().all()
        for row in rows:
            session.delete(row)
        return len(rows)


def _deliver(ctx: AppContext, sender: MailSender, report: WorkReport, max_items: int) -> None:
    failures_in_a_row = 0
    for _ in range(max_items):
        result = send_next_mail(ctx, sender, ctx.now())
        if result is None:
            return
        if result:
            report.mails_sent += 1
            failures_in_a_row = 0
            continue
        report.failures += 1
        failures_in_a_row += 1
        if failures_in_a_row >= 3:
            return  # the server is down; try again next round


def run_once(ctx: AppContext, sender: MailSender | None = None, max_items: int = 1000) -> WorkReport:
    """Everything due now, bounded so one call never runs forever."""
    report = WorkReport()
    sender = sender or sender_from_url(ctx.settings.smtp_url, ctx.settings.mail_dir)
    for _ in range(max_items):
        result = fire_next_timer(ctx, ctx.now())
        if result is None:
            break
        report.timers_fired += result == "fired"
        report.incidents += result == "incident"
    report.incidents += retry_due_incidents(ctx, ctx.now())
    _deliver(ctx, sender, report, max_items)
    checkpoint_if_due(ctx)
    clear_abandoned_starts(ctx)
    return report
