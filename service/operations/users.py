"""People and their roles; passwords hashed with argon2; API tokens signed."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, InvalidHashError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters.mailer import Address
from service.domain.roles import ROLES, role_label
from service.persistence.audit import append_event
from service.persistence.models import User, UserRole

from .context import AppContext
from .errors import NotFound, ValidationFailed

_hasher = PasswordHasher()
DEMO_PASSWORD = "demo"


def find_user(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        raise NotFound(f"no such user: '{username}'")
    return user


def save_user(ctx: AppContext, *, username: str, display_name: str, email: str, roles: list[str],
              password: str | None, actor: str) -> User:
    """Create or update; `password=None` keeps an existing user's password."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed("unknown role", {"roles": f"unknown role(s): {', '.join(unknown)}"})
    with ctx.db.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            if not password:
                raise ValidationFailed("password required", {"password": "新用户必须设置密码 (a new user needs a password)"})
            user = User(username=username, created_at=ctx.now(), active=True)
            session.add(user)
        user.display_name, user.email = display_name, email
        if password:
            user.password_hash = _hasher.hash(password)
        user.roles = [UserRole(role=r) for r in sorted(set(roles))]
        session.flush()
        append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                     payload={"username": username, "roles": sorted(set(roles))})
        return user


def ensure_demo_users(ctx: AppContext) -> list[str]:
    """One user per role: `<role>1` / password `demo` (CONTRACT.md)."""
    created = []
    with ctx.db.reading() as session:
        existing = set(session.execute(select(User.username)).scalars())
    for role_id in ROLES:
        username = f"{role_id}1"
        if username in existing:
            continue
        save_user(ctx, username=username, display_name=f"{role_label(role_id)}1",
                  email=f"{username}@demo.guicheng.local", roles=[role_id], password=DEMO_PASSWORD,
                  actor="system")
        created.append(username)
    return created


def check_password(ctx: AppContext, username: str, password: str) -> User | None:
    with ctx.db.reading() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None or not user.active:
            return None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return user


def people_with_role(session: Session, role: str) -> list[Address]:
    rows = session.execute(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.username)
    ).scalars()
    return [Address(u.display_name, u.email) for u in rows]


def _token_serializer(ctx: AppContext) -> URLSafeSerializer:
    return URLSafeSerializer(ctx.settings.secret_key, salt="guicheng-api-token")


def issue_token(ctx: AppContext, username: str) -> str:
    with ctx.db.reading() as session:
        user = find_user(session, username)
        return _token_serializer(ctx).dumps({"u": user.username})


def user_for_token(ctx: AppContext, token: str) -> User | None:
    try:
        payload = _token_serializer(ctx).loads(token)
    except BadSignature:
        return None
    with ctx.db.reading() as session:
        try:
            return find_user(session, payload.get("u", ""))
        except NotFound:
            return None


def has_role(ctx: AppContext, username: str, role: str) -> bool:
    with ctx.db.reading() as session:
        return role in find_user(session, username).role_ids
