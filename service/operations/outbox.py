"""Deliver the mail outbox: claim a few mails and commit, send with no transaction open, record the result.

Why in three steps: a slow SMTP server must not hold a database transaction (on SQLite that is the
whole database). Delivery is at-least-once across crashes and idempotent by Message-ID: a retried
send carries the same Message-ID (receivers deduplicate on it) and an `.eml` file is named by it, so
the mail folder never holds a mail twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from service.adapters.mailer import Address, MailSender, OutgoingMail
from service.persistence.audit import append_event
from service.persistence.models import OutboxMail

from .case_store import append_beside_engine, lock_for_log
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


@dataclass(frozen=True)
class ClaimedMail:
    id: int
    instance_id: int | None  # the case whose chain records the delivery (None: a mail of no case)
    mail: OutgoingMail


def claim_mails(ctx: AppContext, limit: int) -> list[ClaimedMail]:
    """Lease up to `limit` pending mails whose next attempt is due, oldest first; [] when none is."""
    lease_now = real_now()
    with ctx.db.transaction() as session:
        rows = session.execute(select(OutboxMail).where(
            OutboxMail.status == "pending",
            (OutboxMail.next_attempt_at.is_(None)) | (OutboxMail.next_attempt_at <= lease_now),
            (OutboxMail.claimed_until.is_(None)) | (OutboxMail.claimed_until < lease_now))
            .order_by(OutboxMail.id).limit(limit).with_for_update(skip_locked=True)).scalars().all()
        for row in rows:
            row.attempts += 1
            row.claimed_until = lease_now + SEND_LEASE
        return [ClaimedMail(row.id, row.instance_id, _outgoing(row)) for row in rows]


def release_mails(ctx: AppContext, mail_ids: list[int]) -> None:
    """Give back leased mails that were not tried (the server went away): no attempt is counted."""
    if not mail_ids:
        return
    with ctx.db.transaction() as session:
        session.execute(update(OutboxMail).where(OutboxMail.id.in_(mail_ids), OutboxMail.status == "pending")
                        .values(claimed_until=None, attempts=OutboxMail.attempts - 1))


def record_result(ctx: AppContext, claimed: ClaimedMail, error: Exception | None, now: datetime) -> None:
    with ctx.db.transaction() as session:
        case = lock_for_log(session, claimed.instance_id) if claimed.instance_id else None  # the case row first
        row = session.get(OutboxMail, claimed.id, with_for_update=True, populate_existing=True)
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
        sent = {"message_id": row.message_id, "subject": row.subject,
                "to": [a["email"] for a in row.to], "cc": [a["email"] for a in row.cc]}
        if case is None:  # a mail of no case: the system chain records it
            append_event(session, type="mail_sent", actor="worker", at=now, payload=sent)
        else:
            append_beside_engine(session, case, type="mail_sent", actor="worker", at=now, payload=sent)


def send_claimed(ctx: AppContext, sender: MailSender, claimed: ClaimedMail, now: datetime) -> bool:
    """Deliver one leased mail with no transaction open, then record it. True sent, False failed (will retry)."""
    try:
        sender.send(claimed.mail)
    except Exception as exc:  # delivery problems are retried, then parked as failed
        log.warning("mail %s not sent: %s", claimed.mail.message_id, exc)
        record_result(ctx, claimed, exc, now)
        return False
    ctx.hooks.fire_before_commit("mail_sent")
    record_result(ctx, claimed, None, now)
    return True
