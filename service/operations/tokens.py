"""API tokens: random secrets stored as hashes, each with a name and an expiry.

The secret is shown once, when issued. A token works until it expires, is
revoked (by its owner or an administrator), or its owner's password or
active flag changes (the user's session epoch moves on, auth_models.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.input_limits import text_problem
from service.domain.messages import Message
from service.persistence.audit import append_event
from service.persistence.auth_models import ApiToken
from service.persistence.models import User

from .context import AppContext
from .errors import Forbidden, NotFound, ValidationFailed

DEFAULT_DAYS = 90
MAX_DAYS = 3650
PREFIX = "gc_"  # recognisable in logs and by secret scanners
OPERATOR = None  # the person at the server's command line: may manage every token


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _active_user(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        raise NotFound("user.missing", user=username)
    return user


def _checked(days: int, name: str) -> None:
    errors = {}
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = Message("token.days", {"max": MAX_DAYS})
    problem = (text_problem(name, max_length=128, single_line=True) if isinstance(name, str)
               else Message("text.not_text"))
    if problem:
        errors["name"] = problem
    if errors:
        raise ValidationFailed("token.refused", errors)


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str  # the secret: shown once, stored only as its hash
    name: str
    expires_at: datetime


def issue(ctx: AppContext, username: str, *, days: int = DEFAULT_DAYS, name: str = "",
          actor: str | None = None) -> IssuedToken:
    """A new token for the user; `actor` (default: the operator) is recorded in the audit log."""
    _checked(days, name)
    now = ctx.now()
    token = PREFIX + secrets.token_urlsafe(32)
    with ctx.db.transaction() as session:
        user = _active_user(session, username)
        row = ApiToken(token_hash=_hash(token), user_id=user.id, name=name.strip(), epoch=user.session_epoch,
                       created_at=now, created_by=actor or "system", expires_at=now + timedelta(days=days))
        session.add(row)
        session.flush()
        append_event(session, type="token_issued", actor=actor or "system", at=now, payload={
            "username": user.username, "token_id": row.id, "name": row.name, "expires_at": row.expires_at.isoformat()})
        return IssuedToken(row.id, token, row.name, row.expires_at)


def issue_token(ctx: AppContext, username: str, *, days: int = DEFAULT_DAYS, name: str = "",
                actor: str | None = None) -> str:
    """Just the secret of a new token (the command line prints it)."""
    return issue(ctx, username, days=days, name=name, actor=actor).token


def user_for_token(ctx: AppContext, token: str) -> User | None:
    """The active owner of a token that has neither expired, been revoked nor outlived a password."""
    if not token.startswith(PREFIX):
        return None
    with ctx.db.reading() as session:
        return session.execute(
            select(User).join(ApiToken, ApiToken.user_id == User.id).where(
                ApiToken.token_hash == _hash(token), ApiToken.expires_at > ctx.now(),
                ApiToken.epoch == User.session_epoch, User.active.is_(True))
        ).scalar_one_or_none()


def _state(row: ApiToken, user: User, now: datetime) -> str:
    if row.epoch != user.session_epoch:
        return "ended"  # password or account state changed since it was issued
    return "expired" if row.expires_at <= now else "valid"


def _is_admin(session: Session, actor: str | None) -> bool:
    return actor is OPERATOR or "admin" in _active_user(session, actor).role_ids


def list_tokens(ctx: AppContext, *, actor: str | None, owner: str | None = None) -> list[dict[str, Any]]:
    """The owner's tokens (default: the actor's own); another user's only for administrators."""
    now = ctx.now()
    with ctx.db.reading() as session:
        if owner is not None and owner != actor and not _is_admin(session, actor):
            raise Forbidden("token.others", user=actor)
        query = select(ApiToken, User).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
        if owner is not None or actor is not OPERATOR:
            query = query.where(User.username == (owner if owner is not None else actor))
        return [{"id": row.id, "username": user.username, "name": row.name,
                 "created_at": row.created_at.astimezone(ctx.tz).isoformat(), "created_by": row.created_by,
                 "expires_at": row.expires_at.astimezone(ctx.tz).isoformat(), "state": _state(row, user, now)}
                for row, user in session.execute(query).all()]


def revoke_token(ctx: AppContext, *, token_id: int, actor: str | None) -> None:
    """Delete a token: its owner or an administrator (or the operator, `actor=None`)."""
    with ctx.db.transaction() as session:
        found = session.execute(select(ApiToken, User.username).join(User, ApiToken.user_id == User.id)
                                .where(ApiToken.id == token_id)).one_or_none()
        if found is None:
            raise NotFound("token.missing", token=token_id)
        row, owner = found
        if owner != actor and not _is_admin(session, actor):
            raise NotFound("token.missing", token=token_id)  # other people's tokens are not even confirmed
        session.delete(row)
        append_event(session, type="token_revoked", actor=actor or "system", at=ctx.now(),
                     payload={"username": owner, "token_id": token_id, "name": row.name})
