"""Whoever a case's mail is copied to (Cc, 抄送), or a diagram step copies it to, may read the case:
the link in the mail must open it.

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
DIAGRAM_COPY = "diagram"  # … and by a `copy_case` step of the diagram


def copy_to_mail_readers(session: Session, instance: ProcessInstance, emails: Iterable[str], now: datetime) -> None:
    wanted = sorted(set(emails))
    if not wanted:
        return
    users = set(session.execute(select(User.username).where(User.email.in_(wanted), User.active.is_(True))).scalars())
    _add_copies(session, instance, users, MAIL_COPY, now)


def copy_for_diagram(session: Session, instance: ProcessInstance, usernames: Iterable[str], now: datetime) -> None:
    """A diagram step's 抄送 (the `copy_case` operation): the people it named may read the case."""
    _add_copies(session, instance, set(usernames), DIAGRAM_COPY, now)


def _add_copies(session: Session, instance: ProcessInstance, users: set[str], by: str, now: datetime) -> None:
    users.discard(instance.started_by)
    if not users:
        return
    have = set(session.execute(select(CaseCopy.username).where(CaseCopy.instance_id == instance.id)).scalars())
    for username in sorted(users - have):
        session.add(CaseCopy(instance_id=instance.id, username=username, copied_by=by, created_at=now))
