"""How many wrong passwords an account and a client address may send before sign-in pauses.

Each wrong password is a row (auth_models.SignInFailure), so every server
process counts the same attempts. The window slides: an account is refused
while it has `ACCOUNT_LIMIT` failures in the last `WINDOW`, and it may try
again when the oldest of those leaves the window. A refused attempt checks no
password, so it costs one indexed query instead of an argon2 hash — that is
what keeps a flood of guesses from starving everyone else. Unknown user names
are counted exactly like known ones (their lock says nothing about existence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.persistence.auth_models import SignInFailure

from .errors import OperationError

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 10  # wrong passwords for one account within the window
CLIENT_LIMIT = 50  # wrong passwords from one address within the window, whatever the accounts
KEY_LENGTH = 64


class SignInPaused(OperationError):
    """Too many wrong passwords: nothing is checked until `retry_at`."""

    status = 429

    def __init__(self, reason: Literal["account", "client"], retry_at: datetime):
        super().__init__(f"too many failed sign-ins for this {reason}: try again after {retry_at.isoformat()}")
        self.reason = reason
        self.retry_at = retry_at


@dataclass(frozen=True)
class Attempt:
    account: str
    client: str

    @classmethod
    def of(cls, account: str, client: str) -> Attempt:
        return cls(account.strip().lower()[:KEY_LENGTH], (client or "unknown")[:KEY_LENGTH])


def _limit_reached_until(session: Session, column, value: str, limit: int, now: datetime) -> datetime | None:  # type: ignore[no-untyped-def]
    """When the `limit`-th newest failure in the window leaves it, or None if there are fewer."""
    oldest_counted = session.execute(
        select(SignInFailure.failed_at).where(column == value, SignInFailure.failed_at > now - WINDOW)
        .order_by(SignInFailure.failed_at.desc()).offset(limit - 1).limit(1)
    ).scalar_one_or_none()
    return oldest_counted + WINDOW if oldest_counted is not None else None


def check_not_paused(session: Session, attempt: Attempt, now: datetime) -> None:
    for reason, column, value, limit in (("account", SignInFailure.account, attempt.account, ACCOUNT_LIMIT),
                                         ("client", SignInFailure.client, attempt.client, CLIENT_LIMIT)):
        until = _limit_reached_until(session, column, value, limit, now)
        if until is not None:
            raise SignInPaused(reason, until)  # type: ignore[arg-type]


def record_failure(session: Session, attempt: Attempt, now: datetime) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - WINDOW))
    session.add(SignInFailure(account=attempt.account, client=attempt.client, failed_at=now))


def forget_account(session: Session, account: str) -> None:
    """A successful sign-in or a new password set by an administrator starts the count afresh."""
    session.execute(delete(SignInFailure).where(SignInFailure.account == account.strip().lower()[:KEY_LENGTH]))
