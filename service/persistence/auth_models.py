"""Sign-ins, API tokens and failed sign-in attempts.

Sign-ins and tokens are looked up by the SHA-256 of their secret, never by the
secret itself, and each carries the user's `session_epoch` of the moment it was
issued: changing a user's password or `active` flag moves the epoch on (the
listeners below, whichever code makes the change), and every earlier sign-in
and token stops working. Failed attempts are rows, so the sign-in limits hold
across all server processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, User


class SignIn(Base):
    """One signed-in browser; the cookie holds the secret, signed by the application key."""

    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    client: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ApiToken(Base):
    """A bearer token for scripts: named, expiring, revocable by its owner and by admins."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]


class SignInFailure(Base):
    """One wrong password: counted per account and per client address within the limit's window."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_account", "account", "failed_at"),
                      Index("ix_sign_in_failures_client", "client", "failed_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(index=True)


def _next_epoch(user: User) -> None:
    user.session_epoch = (user.session_epoch or 0) + 1


@event.listens_for(User.password_hash, "set")
def _password_changed(user: User, value: Any, old: Any, _initiator: Any) -> None:
    if value != old:
        _next_epoch(user)


@event.listens_for(User.active, "set")
def _active_changed(user: User, value: Any, old: Any, _initiator: Any) -> None:
    if value != old:
        _next_epoch(user)
