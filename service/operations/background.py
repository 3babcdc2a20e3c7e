"""The worker's jobs: fire due timers exactly once, and deliver the mail outbox.

Each timer fires in its own transaction. On PostgreSQL the due row is
claimed with FOR UPDATE SKIP LOCKED, so several workers share the queue
without firing anything twice; on SQLite BEGIN IMMEDIATE serialises them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters.mailer import Address, MailSender, OutgoingMail, sender_from_url
from service.engine import runner
from service.persistence.audit import append_event
from service.persistence.models import OutboxMail, Timer

from .case_store import load_workflow, lock_instance, save_step, step_services
from .cases import CaseFailed, _engine_guard
from .context import AppContext

log = logging.getLogger("guicheng.worker")
MAX_MAIL_ATTEMPTS = 5


@dataclass
class WorkReport:
    timers_fired: int = 0
    mails_sent: int = 0
    failures: int = 0


def _claim(session: Session, query):  # type: ignore[no-untyped-def]
    return session.execute(query.with_for_update(skip_locked=True).limit(1)).scalars().first()


def fire_next_timer(ctx: AppContext, now: datetime) -> bool:
    """Fire the earliest due timer; False when none is due."""
    with ctx.db.transaction() as session:
        timer = _claim(session, select(Timer).where(Timer.status == "pending", Timer.due_at <= now)
                       .order_by(Timer.due_at, Timer.id))
        if timer is None:
            return False
        instance = lock_instance(session, timer.instance_id)
        if instance.status != "running":
            timer.status = "cancelled"
            return True
        workflow = load_workflow(ctx, instance)
        services = step_services(ctx, session, instance, now)
        try:
            _engine_guard(lambda: runner.run_engine(workflow, now=now, service_handler=services))
        except CaseFailed as exc:
            timer.status = "failed"
            instance.status, instance.error = "error", str(exc)
            append_event(session, type="case_error", actor="worker", at=now, instance_id=instance.id,
                         payload={"element_id": timer.element_id, "error": str(exc)})
            return True
        timer.status, timer.fired_at = "fired", now
        append_event(session, type="timer_fired", actor="worker", at=now, instance_id=instance.id, payload={
            "element_id": timer.element_id, "due_at": timer.due_at.isoformat()})
        save_step(ctx, session, instance, workflow, services, actor="worker", now=now)
        return True


def _outgoing(row: OutboxMail) -> OutgoingMail:
    return OutgoingMail(
        message_id=row.message_id, subject=row.subject, sender=Address(**row.sender),
        to=[Address(**a) for a in row.to], cc=[Address(**a) for a in row.cc], body=row.body,
        in_reply_to=row.in_reply_to, references=list(row.references), sent_at=row.created_at)


def send_next_mail(ctx: AppContext, sender: MailSender, now: datetime) -> bool | None:
    """Deliver one pending mail. True sent, False failed (will retry), None nothing to send."""
    with ctx.db.transaction() as session:
        row = _claim(session, select(OutboxMail).where(
            OutboxMail.status == "pending",
            (OutboxMail.next_attempt_at.is_(None)) | (OutboxMail.next_attempt_at <= now)).order_by(OutboxMail.id))
        if row is None:
            return None
        row.attempts += 1
        try:
            sender.send(_outgoing(row))
        except Exception as exc:  # delivery problems are retried, then parked as failed
            row.last_error = f"{exc.__class__.__name__}: {exc}"
            row.next_attempt_at = now + timedelta(minutes=2 ** row.attempts)  # 2, 4, 8, 16 minutes
            if row.attempts >= MAX_MAIL_ATTEMPTS:
                row.status = "failed"
            log.warning("mail %s not sent (attempt %s): %s", row.message_id, row.attempts, exc)
            return False
        row.status, row.sent_at = "sent", now
        append_event(session, type="mail_sent", actor="worker", at=now, instance_id=row.instance_id, payload={
            "message_id": row.message_id, "subject": row.subject,
            "to": [a["email"] for a in row.to], "cc": [a["email"] for a in row.cc]})
        return True


def run_once(ctx: AppContext, sender: MailSender | None = None, max_items: int = 1000) -> WorkReport:
    """Everything due now, bounded so one call never runs forever."""
    report = WorkReport()
    sender = sender or sender_from_url(ctx.settings.smtp_url, ctx.settings.mail_dir)
    for _ in range(max_items):
        if not fire_next_timer(ctx, ctx.now()):
            break
        report.timers_fired += 1
    failures_in_a_row = 0
    for _ in range(max_items):
        result = send_next_mail(ctx, sender, ctx.now())
        if result is None:
            break
        if result:
            report.mails_sent += 1
            failures_in_a_row = 0
        else:
            report.failures += 1
            failures_in_a_row += 1
            if failures_in_a_row >= 3:
                break  # the server is down; try again next round
    return report
