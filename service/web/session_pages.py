"""Sign in, sign out, and the language switch."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for

from service.operations import users
from service.web import bp
from service.web.common import context, page, safe_next
from service.web.i18n import LANGUAGES, t


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return page("login.html", next=target, username="")
    username = request.form.get("username", "").strip()
    user = users.check_password(context(), username, request.form.get("password", ""))
    if user is None:
        return page("login.html", 401, next=target, username=username, error=t("login.failed"))
    lang = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) for the signed-in user
    session["user"] = user.username
    if lang:
        session["lang"] = lang
    return redirect(target)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(t("login.signed_out"), "info")
    return redirect(url_for("web.login"))


@bp.get("/lang/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(_same_site_referrer()))


def _same_site_referrer() -> str | None:
    referrer = request.referrer or ""
    root = request.host_url
    return "/" + referrer[len(root):] if referrer.startswith(root) else None
