"""The front page: what is deployed and what is waiting, until the full staff pages land."""

from __future__ import annotations

from flask import current_app, render_template

from service.operations import queries
from service.web import bp


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    context = current_app.extensions["guicheng"]
    return render_template("home.html", definitions=queries.definitions(context),
                           tasks=queries.open_tasks(context))
