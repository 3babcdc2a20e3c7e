"""Who is calling: a Bearer token (scripts) or the browser's sign-in (pages).

Session-authenticated writes must carry the session's CSRF token in the
`X-CSRF-Token` header; token-authenticated calls need none. A browser session
counts only while its server-side sign-in lasts (operations/sessions.py).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any, Literal

from flask import current_app, g, request, session

from service.operations import sessions, tokens
from service.operations.context import AppContext
from service.operations.errors import OperationError


class Unauthorized(OperationError):
    status = 401


def context() -> AppContext:
    return current_app.extensions["guicheng"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def session_user() -> str | None:
    """The user of this browser's sign-in, once per request; forgets a sign-in that has ended."""
    if "session_user" not in g:
        key, username = session.get("sign_in"), session.get("user")
        found = sessions.signed_in_user(context(), key) if isinstance(key, str) and username else None
        if found is None or found != username:
            found = None
            session.pop("user", None)
            session.pop("sign_in", None)
        g.session_user = found
    return g.session_user


def _session_caller() -> str | None:
    username = session_user()
    if username is None:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
        if not sent or not secrets.compare_digest(sent.encode(), str(session.get("csrf", "")).encode()):
            raise Unauthorized("auth.csrf")
    return username


def caller() -> str:
    """The user name of the caller, or Unauthorized."""
    if "username" in g:
        return g.username
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = tokens.user_for_token(context(), header[len("Bearer "):].strip())
        if user is None:
            raise Unauthorized("auth.token_invalid")
        g.username, g.signed_in_by = user.username, "token"
        return user.username
    username = _session_caller()
    if username is None:
        raise Unauthorized("auth.required")
    g.username, g.signed_in_by = username, "session"
    return username


def signed_in_by() -> Literal["token", "session"]:
    caller()
    return g.signed_in_by


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caller()
        return view(*args, **kwargs)
    return wrapper
