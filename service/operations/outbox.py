"""Deliver the mail outbox: claim a mail and commit, send with no transaction open, record the result.

Why in three steps: a slow SMTP server must not hold a database transaction (on SQLite that is the
whole database). Delivery is at-least-once across crashes and idempotent by Message-ID: a retried
send carries the same Message-ID (receivers deduplicate on it) and an `.eml` file is named by it, so
the mail folder never holds a mail twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from service.adapters.mailer import Address, MailSender, OutgoingMail
from service.persistence.audit import append_event
from service.persistence.models import OutboxMail

from .case_store import lock_instance
from .context import AppContext
from .timers import real_now

log = logging.getLogger("guicheng.worker")
MAX_MAIL_ATTEMPTS = 5
SEND_LEASE = timedelta(minutes=5)


def _outgoing(row: OutboxMail) -> OutgoingMail:
    return OutgoingMail(
        message_id=row.message_id, subject=row.subject, sender=Address(**row.sender),
        to=[Address(**a) for a in row.to], cc=[Address(**a) for a in row.cc], body=row.body,
        in_reply_to=row.in_reply_to, references=list(row.references), sent_at=row.created_at)


def claim_next_mail(ctx: AppContext) -> tuple[int, OutgoingMail] | None:
    lease_now = real_now()
    with ctx.db.transaction() as session:
        row = session.execute(select(OutboxMail).where(
            OutboxMail.status == "pending",
            (OutboxMail.next_attempt_at.is_(None)) | (OutboxMail.next_attempt_at <= lease_now),
            (OutboxMail.claimed_until.is_(None)) | (OutboxMail.claimed_until < lease_now))
            .order_by(OutboxMail.id).limit(1).with_for_update(skip_locked=True)).scalars().first()
        if row is None:
            return None
        row.attempts += 1
        row.claimed_until = lease_now + SEND_LEASE
        return row.id, _outgoing(row)


def record_result(ctx: AppContext, mail_id: int, error: Exception | None, now: datetime) -> None:
    with ctx.db.transaction() as session:
        peek = session.get(OutboxMail, mail_id)
        if peek is None:
            return
        case = lock_instance(session, peek.instance_id) if peek.instance_id else None
        row = session.get(OutboxMail, mail_id, with_for_update=True, populate_existing=True)
        if row is None or row.status != "pending":
            return  # another worker delivered it after our lease ran out
        row.claimed_until = None
        if error is not None:
            row.last_error = f"{error.__class__.__name__}: {error}"[:2000]
            row.next_attempt_at = real_now() + timedelta(minutes=2 ** row.attempts)  # 2, 4, 8, 16 minutes
            if row.attempts >= MAX_MAIL_ATTEMPTS:
                row.status = "failed"
            return
        row.status, row.sent_at = "sent", now
        append_event(session, type="mail_sent", actor="worker", at=now, case=case, payload={
            "message_id": row.message_id, "subject": row.subject,
            "to": [a["email"] for a in row.to], "cc": [a["email"] for a in row.cc]})


def send_next_mail(ctx: AppContext, sender: MailSender, now: datetime) -> bool | None:
    """Deliver one pending mail. True sent, False failed (will retry), None nothing to send."""
    claimed = claim_next_mail(ctx)
    if claimed is None:
        return None
    mail_id, mail = claimed
    try:
        sender.send(mail)
    except Exception as exc:  # delivery problems are retried, then parked as failed
        log.warning("mail %s not sent: %s", mail.message_id, exc)
        record_result(ctx, mail_id, exc, now)
        return False
    ctx.hooks.fire_before_commit("mail_sent")
    record_result(ctx, mail_id, None, now)
    return True
