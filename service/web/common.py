"""What every page shares: the sign-in guard, the CSRF check, template helpers, error pages.

The error handlers here serve the whole application: a path under /api/ gets
problem+json (api/errors.py), any other path a page in the reader's language;
an unexpected exception shows only the id its traceback was logged under.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from service.api import errors as api_errors
from service.api.auth import csrf_token, session_user
from service.domain.access import may_audit
from service.domain.due import due_words
from service.domain.messages import Message, render
from service.domain.roles import ROLES, role_label
from service.operations import inbox
from service.operations.context import AppContext
from service.operations.errors import OperationError, ValidationFailed
from service.web import bp
from service.web.i18n import known, language, t

INCIDENT_READERS = {"admin", "process_owner", "auditor"}
PUBLIC = {"web.login", "web.static", "web.set_language"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRefused(Exception):
    pass


def context() -> AppContext:
    return current_app.extensions["guicheng"]


def me() -> dict[str, Any]:
    return g.me


def wants_json() -> bool:
    return request.path.startswith("/uploads") or request.accept_mimetypes.best == "application/json"


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: no scheme, no host, no `//`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.before_request
def _guard():  # type: ignore[no-untyped-def]
    if request.method not in SAFE_METHODS and request.endpoint != "web.static":
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        expected = str(session.get("csrf", ""))
        if not sent or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
            raise CsrfRefused()
    if request.endpoint in PUBLIC:
        return None
    username = session_user()
    found = inbox.whoami(context(), username) if username else None
    if found is None:
        if wants_json():
            return jsonify({"error": t("login.required")}), 401
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    g.me = found
    return None


def when(value: str | datetime | None, with_time: bool = True) -> str:
    """An ISO timestamp as people read it: 2026-09-30 18:00 (local time of the server)."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    moment = moment.astimezone(context().tz)
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def due_text(due: dict[str, Any] | None) -> str:
    """The deadline in working hours, worded as everywhere else (service.domain.due)."""
    return due_words(due or None, language())


def role_name(role_id: str | None) -> str:
    return role_label(role_id or "", language()) if role_id else ""


@bp.app_template_global()
def page_url(**changes: Any) -> str:
    """The current page with some query arguments changed (filters keep their values)."""
    args: dict[str, Any] = {**request.args.to_dict(), **changes}
    args = {k: v for k, v in args.items() if v not in (None, "", False)}
    return url_for(request.endpoint or "web.inbox", **(request.view_args or {}), **args)


PROCESS_READERS = frozenset({"process_owner", "auditor", "admin"})  # edit: process_owner only


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    current = g.get("me")
    return {"t": t, "lang": language(), "me": current, "csrf_token": csrf_token, "when": when,
            "due_text": due_text, "role_name": role_name, "all_roles": list(ROLES),
            "is_admin": bool(current and "admin" in current["roles"]),
            "sees_incidents": bool(current and set(current["roles"]) & INCIDENT_READERS),
            "sees_processes": bool(current and set(current["roles"]) & PROCESS_READERS),
            "sees_audit": bool(current and may_audit(set(current["roles"]))),
            "open_count": lambda: inbox.open_count(context(), current["username"]) if current else 0}


def page(template: str, status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    return render_template(template, **values), status


def _error_page(status: int, detail: str, log_id: str | None = None,  # type: ignore[no-untyped-def]
                error_code: str | None = None):
    """The error in the page's language; `error_code` (a message code) for scripts and tests."""
    if wants_json():
        return jsonify({"error": detail, "status": status, **({"code": error_code} if error_code else {}),
                        **({"log_id": log_id} if log_id else {})}), status
    message = t(f"err.{status}") if known(f"err.{status}") else t("err.title")
    if log_id is None:
        return page("error.html", status, code=status, detail=detail, message=message, error_code=error_code)
    try:  # the page of an unexpected error reads nothing from the database (it may be what failed)
        return page("error.html", status, code=status, detail=detail, message=message, log_id=log_id,
                    me=None, is_admin=False)
    except Exception:  # noqa: BLE001  (even the template failed: plain text still names the id)
        text = f"{status} {message} · {t('err.log_id', id=log_id)}"
        return text, status, {"Content-Type": "text/plain; charset=utf-8"}


def _in_page_language(value: Any) -> Any:
    """Every `{{ … }}` of a template: a message (a refusal, a field error) in the page's language."""
    return value.render(language()) if isinstance(value, Message) else value


@bp.record_once
def _render_messages(state: Any) -> None:
    state.app.jinja_env.finalize = _in_page_language


def said(exc: OperationError) -> str:
    """A use case's error in the page's language, its field errors after it."""
    if isinstance(exc, ValidationFailed) and exc.errors:
        fields = "；" if language() == "zh" else "; "
        return exc.render(language()) + ("：" if language() == "zh" else ": ") + fields.join(
            exc.field_errors(language()).values())
    return exc.render(language())


def _is_api() -> bool:
    return request.path.startswith("/api/")


@bp.errorhandler(CsrfRefused)
def _csrf(_exc: CsrfRefused):  # type: ignore[no-untyped-def]
    return _error_page(400, t("err.csrf"))


@bp.app_errorhandler(OperationError)
def _operation_error(exc: OperationError):  # type: ignore[no-untyped-def]
    if _is_api():
        return api_errors.operation_problem(exc)
    return _error_page(exc.status, said(exc), error_code=exc.code)


@bp.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    if _is_api():
        return api_errors.http_problem(exc)
    code = exc.code or 500
    return _error_page(code, t("err.413") if code == 413 else render(f"http.{code}" if code in api_errors.HTTP_CODES
                                                                     else "http.other", language(), status=code))


@bp.app_errorhandler(Exception)
def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    if _is_api():
        return api_errors.unexpected_problem(exc)
    log_id = api_errors.log_unexpected(exc)
    return _error_page(500, t("err.unexpected"), log_id)
