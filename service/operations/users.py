"""People and their roles; passwords hashed with argon2.

Sign-ins live in sessions.py and API tokens in tokens.py; `issue_token` and
`user_for_token` stay importable from here for existing callers.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from service.adapters.mailer import Address
from service.domain.access import Viewer
from service.domain.messages import Message
from service.domain.roles import ROLES
from service.persistence.audit import append_event
from service.persistence.models import User, UserRole
from service.persistence.read_cache import while_unchanged

from . import sign_in_limits
from .context import AppContext
from .errors import NotFound, ValidationFailed
from .tokens import issue_token, user_for_token  # noqa: F401  (callers import them from here)

MAX_PASSWORD = 1024  # longer is no password anyone types; refusing it keeps hashing cheap
_hasher = PasswordHasher()


_USER = select(User).options(joinedload(User.roles)).where(User.username == bindparam("username"))  # built once


def find_worker(session: Session, username: str) -> Viewer:
    """An active person as the rule of working a task sees them (roles, company), without a read of
    their row: the people are read again only after a change to them (see `read_cache`)."""
    found = while_unchanged(session, "workers", lambda: _workers(session)).get(username)
    if found is None:
        raise NotFound("user.missing", user=username)
    return Viewer(username, found[0], found[1])


def _workers(session: Session) -> dict[str, tuple[frozenset[str], str | None]]:
    roles: dict[str, set[str]] = {}
    for name, role in session.execute(select(User.username, UserRole.role).join(UserRole).where(User.active.is_(True))):
        roles.setdefault(name, set()).add(role)
    return {name: (frozenset(roles.get(name, ())), company) for name, company in session.execute(
        select(User.username, User.company).where(User.active.is_(True)))}


def find_user(session: Session, username: str) -> User:
    user = session.execute(_USER, {"username": username}).unique().scalar_one_or_none()
    if user is None or not user.active:
        raise NotFound("user.missing", user=username)
    return user


def save_user(ctx: AppContext, *, username: str, display_name: str, email: str, roles: list[str],
              password: str | None, actor: str, company: str | None = None,
              password_hash: str | None = None) -> User:
    """Create or update; `password=None` keeps an existing user's password. `password_hash` (from
    `hash_password`) stands for a password hashed once for many accounts: the demo people's."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed("role.unknown_refused", {"roles": Message("role.unknown", {
            "roles": ", ".join(unknown)})})
    with ctx.db.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            if not password and not password_hash:
                raise ValidationFailed("user.password_required", {"password": Message("user.password_new")},
                                       user=username)
            user = User(username=username, created_at=ctx.now(), active=True)
            session.add(user)
        user.display_name, user.email, user.company = display_name, email, company or None
        if password or password_hash:
            user.password_hash = password_hash or hash_password(password or "")  # ends sign-ins and tokens
            sign_in_limits.forget_account(session, username)
        user.roles = [UserRole(role=r) for r in sorted(set(roles))]
        session.flush()
        append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                     payload={"username": username, "roles": sorted(set(roles)), "company": company or None})
        return user


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _unknown_user_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def check_password(ctx: AppContext, username: str, password: str) -> User | None:
    """The user when the password is right. An unknown or inactive user costs the same argon2
    check as a known one, so the answer's timing does not tell which user names exist."""
    with ctx.db.reading() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    known = user if user is not None and user.active else None
    try:
        _hasher.verify(known.password_hash if known else _unknown_user_hash(), password[:MAX_PASSWORD + 1])
    except (VerificationError, InvalidHashError):
        return None
    return known if len(password) <= MAX_PASSWORD else None


def set_active(ctx: AppContext, *, username: str, active: bool, actor: str) -> None:
    """Switch an account on or off; switching it off ends its sign-ins and tokens."""
    with ctx.db.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise NotFound("user.missing", user=username)
        if user.active != active:
            user.active = active
            append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                         payload={"username": username, "active": active})


def people_with_role(session: Session, role: str) -> list[Address]:
    rows = session.execute(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.username)
    ).scalars()
    return [Address(u.display_name, u.email) for u in rows]


def has_role(ctx: AppContext, username: str, role: str) -> bool:
    with ctx.db.reading() as session:
        return role in find_user(session, username).role_ids
