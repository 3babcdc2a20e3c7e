"""Browser sign-ins: one server-side record per signed-in browser.

The signed cookie carries a random key; the record (found by the key's hash)
says whose it is and until when. Signing out deletes the record, so a copied
cookie is worthless afterwards; a new password or deactivation moves the
user's epoch on and ends every sign-in of that user (auth_models.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from service.persistence.auth_models import SignIn
from service.persistence.models import User

from . import sign_in_limits
from .context import AppContext
from .sign_in_limits import Attempt
from .users import check_password


@dataclass(frozen=True)
class SignedIn:
    username: str
    key: str  # for the cookie only; the database keeps its hash


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def sign_in(ctx: AppContext, *, username: str, password: str, client: str) -> SignedIn | None:
    """A new sign-in, None for a wrong user name or password, SignInPaused after too many wrong ones."""
    attempt = Attempt.of(username, client)
    with ctx.db.reading() as session:
        sign_in_limits.check_not_paused(session, attempt, ctx.now())
    user = check_password(ctx, username, password)
    now = ctx.now()
    with ctx.db.transaction() as session:
        if user is None:
            sign_in_limits.record_failure(session, attempt, now)
            return None
        sign_in_limits.forget_account(session, user.username)
        session.execute(delete(SignIn).where(SignIn.user_id == user.id, SignIn.expires_at <= now))
        key = secrets.token_urlsafe(32)
        session.add(SignIn(key_hash=key_hash(key), user_id=user.id, epoch=user.session_epoch,
                           client=attempt.client, created_at=now,
                           expires_at=now + timedelta(days=ctx.settings.sign_in_days)))
        return SignedIn(user.username, key)


def signed_in_user(ctx: AppContext, key: str) -> str | None:
    """Whose sign-in the key is, while it lasts and the account is active with the same epoch."""
    with ctx.db.reading() as session:
        return session.execute(
            select(User.username).join(SignIn, SignIn.user_id == User.id).where(
                SignIn.key_hash == key_hash(key), SignIn.expires_at > ctx.now(),
                SignIn.epoch == User.session_epoch, User.active.is_(True))
        ).scalar_one_or_none()


def sign_out(ctx: AppContext, key: str) -> None:
    with ctx.db.transaction() as session:
        session.execute(delete(SignIn).where(SignIn.key_hash == key_hash(key)))
