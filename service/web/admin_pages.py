"""User administration: list, create, edit (roles, password) — for the admin role only."""

from __future__ import annotations

import re

from flask import flash, redirect, request, url_for

from service.domain.roles import ROLES
from service.operations import inbox, users
from service.operations.errors import Forbidden, NotFound
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import t

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _admin_only() -> None:
    if "admin" not in me()["roles"]:
        raise Forbidden("user.admin_only", user=me()["username"])


@bp.get("/admin/users")
def admin_users():  # type: ignore[no-untyped-def]
    _admin_only()
    return page("admin_users.html", users=inbox.user_list(context()))


@bp.route("/admin/users/new", methods=["GET", "POST"])
def admin_user_new():  # type: ignore[no-untyped-def]
    return _edit(None)


@bp.route("/admin/users/<username>", methods=["GET", "POST"])
def admin_user_edit(username: str):  # type: ignore[no-untyped-def]
    return _edit(username)


def _edit(username: str | None):  # type: ignore[no-untyped-def]
    _admin_only()
    existing = inbox.user_detail(context(), username) if username else None
    if request.method == "GET":
        user = existing or {"username": "", "display_name": "", "email": "", "roles": []}
        return page("admin_user.html", user=user, new=existing is None, errors={})
    form = request.form
    user = {"username": username or form.get("username", "").strip(),
            "display_name": form.get("display_name", "").strip(), "email": form.get("email", "").strip(),
            "roles": [r for r in form.getlist("roles") if r in ROLES]}
    password = form.get("password", "")
    errors = _check(user, password, new=existing is None)
    if errors:
        return page("admin_user.html", 400, user=user, new=existing is None, errors=errors)
    users.save_user(context(), password=password or None, actor=me()["username"], **user)
    flash(t("admin.saved", u=user["username"]), "success")
    return redirect(url_for("web.admin_users"))


def _check(user: dict, password: str, *, new: bool) -> dict[str, str]:
    errors = {k: t("admin.required") for k in ("username", "display_name", "email") if not user[k]}
    if user["username"] and not USERNAME.match(user["username"]):
        errors["username"] = t("admin.username_rule")
    if new and not errors.get("username"):
        try:
            inbox.user_detail(context(), user["username"])
            errors["username"] = t("admin.exists")
        except NotFound:
            pass
    if new and not password:
        errors["password"] = t("admin.required")
    return errors
