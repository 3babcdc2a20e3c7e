"""Whoever a case's mail is copied to (Cc, 抄送) may read the case: the link in the mail must open it.

The procedure's Cc lines (this salesperson's group leader, the directors, GXM) hold no task of the
case, so without this the link in their mail would be refused; with it they find the case again
under 抄送我的.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.persistence.models import CaseCopy, ProcessInstance, User

MAIL_COPY = "mail"  # CaseCopy.copied_by for copies made by a mail's Cc line


def copy_to_mail_readers(session: Session, instance: ProcessInstance, emails: Iterable[str], now: datetime) -> None:
    wanted = sorted(set(emails))
    if not wanted:
        return
    users = set(session.execute(select(User.username).where(User.email.in_(wanted), User.active.is_(True))).scalars())
    users.discard(instance.started_by)
    have = set(session.execute(select(CaseCopy.username).where(CaseCopy.instance_id == instance.id)).scalars())
    for username in sorted(users - have):
        session.add(CaseCopy(instance_id=instance.id, username=username, copied_by=MAIL_COPY, created_at=now))
