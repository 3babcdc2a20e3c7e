"""Who is calling: a Bearer token (scripts) or the browser session (pages).

Session-authenticated writes must carry the session's CSRF token in the
`X-CSRF-Token` header; token-authenticated calls need none.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request, session

from service.operations import users
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


def _session_user() -> str | None:
    username = session.get("user")
    if not username:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
        if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
            raise Unauthorized("CSRF token missing or wrong: reload the page and try again")
    return username


def caller() -> str:
    """The user name of the caller, or Unauthorized."""
    if "username" in g:
        return g.username
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = users.user_for_token(context(), header[len("Bearer "):].strip())
        if user is None:
            raise Unauthorized("invalid API token")
        g.username = user.username
        return user.username
    username = _session_user()
    if username is None:
        raise Unauthorized("sign in or send 'Authorization: Bearer <token>' (guicheng token USER)")
    g.username = username
    return username


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caller()
        return view(*args, **kwargs)
    return wrapper
