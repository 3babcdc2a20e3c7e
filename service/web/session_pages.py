"""Sign in, sign out, and the language switch.

A sign-in is a server-side record (operations/sessions.py); the cookie holds
only its key. Too many wrong passwords for one account or from one address
pause sign-in for a while, and the page says until when.
"""

from __future__ import annotations

import math

from flask import flash, redirect, request, session, url_for

from service.operations import sessions
from service.operations.sign_in_limits import SignInPaused
from service.web import bp
from service.web.common import context, page, safe_next, when
from service.web.i18n import LANGUAGES, t


def _fresh_session(**values: str) -> None:
    """A new session (and CSRF token) that keeps only the chosen language."""
    lang = session.get("lang")
    session.clear()
    session.update(values)
    if lang:
        session["lang"] = lang


def _paused_page(exc: SignInPaused, target: str, username: str):  # type: ignore[no-untyped-def]
    seconds = max(1, math.ceil((exc.retry_at - context().now()).total_seconds()))
    message = t(f"login.paused.{exc.reason}", at=when(exc.retry_at), minutes=math.ceil(seconds / 60))
    html, status = page("login.html", 429, next=target, username=username, error=message)
    return html, status, {"Retry-After": str(seconds)}


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return page("login.html", next=target, username="")
    username = request.form.get("username", "").strip()
    try:
        signed_in = sessions.sign_in(context(), username=username, password=request.form.get("password", ""),
                                     client=request.remote_addr or "")
    except SignInPaused as exc:
        return _paused_page(exc, target, username)
    if signed_in is None:
        return page("login.html", 401, next=target, username=username, error=t("login.failed"))
    _fresh_session(user=signed_in.username, sign_in=signed_in.key)
    return redirect(target)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    key = session.get("sign_in")
    if isinstance(key, str):
        sessions.sign_out(context(), key)
    _fresh_session()
    flash(t("login.signed_out"), "info")
    return redirect(url_for("web.login"))


@bp.before_request
def _language_from_the_address() -> None:
    """`?lang=en` on any page switches the language, like the switch in the top bar, and keeps it."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and session.get("lang") != asked:
        session["lang"] = asked


@bp.get("/lang/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(_same_site_referrer()))


def _same_site_referrer() -> str | None:
    referrer = request.referrer or ""
    root = request.host_url
    return "/" + referrer[len(root):] if referrer.startswith(root) else None
