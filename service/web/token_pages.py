"""我的令牌 / My API tokens: list, issue (the secret shown once), revoke."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from service.operations import tokens
from service.operations.errors import ValidationFailed
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import t


def _tokens_page(status: int = 200, **values: object):  # type: ignore[no-untyped-def]
    found = tokens.list_tokens(context(), actor=me()["username"])
    values.setdefault("form", {"name": "", "days": tokens.DEFAULT_DAYS})
    values.setdefault("errors", {})
    return page("tokens.html", status, tokens=found, max_days=tokens.MAX_DAYS, **values)


@bp.get("/tokens")
def tokens_page():  # type: ignore[no-untyped-def]
    return _tokens_page()


@bp.post("/tokens")
def token_new():  # type: ignore[no-untyped-def]
    form = {"name": request.form.get("name", "").strip(), "days": request.form.get("days", "").strip()}
    days = int(form["days"]) if form["days"].isdigit() and len(form["days"]) <= 5 else 0
    try:
        issued = tokens.issue(context(), me()["username"], days=days, name=form["name"], actor=me()["username"])
    except ValidationFailed as exc:
        errors = {k: t(f"tokens.invalid.{k}", max=tokens.MAX_DAYS) for k in exc.errors}
        return _tokens_page(400, form=form, errors=errors)
    return _tokens_page(issued=issued)


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):  # type: ignore[no-untyped-def]
    tokens.revoke_token(context(), token_id=token_id, actor=me()["username"])
    flash(t("tokens.revoked", id=token_id), "success")
    return redirect(url_for("web.tokens_page"))
