"""How many wrong passwords an account and a client address may send before sign-in pauses.

Each wrong password is a row (auth_models.SignInFailure), so every server
process counts the same attempts. Windows slide: a rule refuses while its
account or address has `limit` failures within `window`, until the oldest of
them leaves the window. A refused attempt checks no password, so it costs an
indexed query instead of an argon2 hash; the short rule per address keeps a
flood of guesses from holding the workers busy with hashing for long, the
long rules stop patient guessing. Unknown user names are counted exactly like
known ones (their pause says nothing about existence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.persistence.auth_models import SignInFailure

from .errors import OperationError

KEY_LENGTH = 64
Scope = Literal["account", "client"]


@dataclass(frozen=True)
class Rule:
    scope: Scope
    limit: int
    window: timedelta


ACCOUNT_LIMIT = 10  # wrong passwords for one account within a quarter of an hour
CLIENT_LIMIT = 30  # wrong passwords from one address within a quarter of an hour, whatever the accounts
CLIENT_BURST = 10  # … and within one minute
RULES = (Rule("account", ACCOUNT_LIMIT, timedelta(minutes=15)), Rule("client", CLIENT_BURST, timedelta(minutes=1)),
         Rule("client", CLIENT_LIMIT, timedelta(minutes=15)))
WINDOW = max(rule.window for rule in RULES)


class SignInPaused(OperationError):
    """Too many wrong passwords: nothing is checked until `retry_at`."""

    status = 429

    def __init__(self, reason: Scope, retry_at: datetime):
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


def _paused_until(session: Session, rule: Rule, attempt: Attempt, now: datetime) -> datetime | None:
    """When the `limit`-th newest failure within the rule's window leaves it, or None if there are fewer."""
    column = SignInFailure.account if rule.scope == "account" else SignInFailure.client
    value = attempt.account if rule.scope == "account" else attempt.client
    oldest_counted = session.execute(
        select(SignInFailure.failed_at).where(column == value, SignInFailure.failed_at > now - rule.window)
        .order_by(SignInFailure.failed_at.desc()).offset(rule.limit - 1).limit(1)
    ).scalar_one_or_none()
    return oldest_counted + rule.window if oldest_counted is not None else None


def check_not_paused(session: Session, attempt: Attempt, now: datetime) -> None:
    """SignInPaused by the rule that holds longest: its time is when signing in works again."""
    pauses = [(until, rule.scope) for rule in RULES
              if (until := _paused_until(session, rule, attempt, now)) is not None]
    if pauses:
        until, scope = max(pauses, key=lambda pause: pause[0])
        raise SignInPaused(scope, until)


def record_failure(session: Session, attempt: Attempt, now: datetime) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - WINDOW))
    session.add(SignInFailure(account=attempt.account, client=attempt.client, failed_at=now))


def forget_account(session: Session, account: str) -> None:
    """A successful sign-in or a new password set by an administrator starts the count afresh."""
    session.execute(delete(SignInFailure).where(SignInFailure.account == account.strip().lower()[:KEY_LENGTH]))
