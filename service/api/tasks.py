"""The caller's tasks: list, read, complete, claim, release."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, object_field
from service.api.language import language
from service.api.openapi import QUERIES
from service.domain.messages import Message
from service.domain.task_cursor import CURSOR_MAX, LIMIT_DEFAULT, LIMIT_MAX
from service.operations import cases, open_task_list, queries, task_claims
from service.operations.errors import ValidationFailed
from service.operations.localise import localise_task


@bp.get("/tasks")
@signed_in
def list_tasks():  # type: ignore[no-untyped-def]
    """The caller's open tasks, soonest deadline first, one page (`limit`, `after`; next page in `Link`)."""
    args = request.args
    limit = open_task_list.read_limit(args.get("limit"))
    if args.get("form", "full") not in FORM_CHOICES:
        raise ValidationFailed("task_page.refused", {"form": Message("task_page.bad_form", {
            "value": args.get("form", "")[:20], "allowed": ", ".join(FORM_CHOICES)})}, fields="form")
    found, following = queries.open_task_page(context(), caller(), after=args.get("after", ""), limit=limit,
                                              forms=args.get("form", "full") == "full")
    response = jsonify(_localised(found))
    if following:
        keep = {k: v for k, v in args.items() if k in ("limit", "form")}
        response.headers["Link"] = f'<{url_for("api.list_tasks", after=following, **keep, _external=True)}>; rel="next"'
    return response


def _localised(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks in the caller's language, each form translated once per page however many tasks share it."""
    forms: dict[tuple[Any, ...], Any] = {}
    out = []
    for task in tasks:
        key = (task["process_id"], task["version"], task["kind"], task["form_key"], id(task["form"]))
        if key not in forms:
            shown = localise_task(context(), task, language())
            forms[key] = shown["form"]
        else:
            shown = {**localise_task(context(), {**task, "form": None}, language()), "form": forms[key]}
        out.append(shown)
    return out


FORM_CHOICES = ("full", "none")
QUERIES[("get", "/api/v1/tasks")] = [
    {"name": "limit", "in": "query", "required": False, "description": "tasks per page",
     "schema": {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT}},
    {"name": "after", "in": "query", "required": False,
     "description": "opaque cursor: the page after it. Take it from the Link header (rel=\"next\", RFC 8288) of "
                    "the previous page; no Link header means the last page",
     "schema": {"type": "string", "maxLength": CURSOR_MAX}},
    {"name": "form", "in": "query", "required": False,
     "description": "full: each task with its form-js definition; none: form is null (fetch it per task)",
     "schema": {"type": "string", "enum": list(FORM_CHOICES), "default": "full"}},
]


@bp.get("/tasks/<int:task_id>")
@signed_in
def get_task(task_id: int):  # type: ignore[no-untyped-def]
    return jsonify(_task(task_id))


def _task(task_id: int) -> dict[str, Any]:
    """One task as the caller reads it, in the caller's language."""
    return localise_task(context(), queries.get_task(context(), task_id, actor=caller()), language())


@bp.post("/tasks/<int:task_id>/complete")
@signed_in
def complete_task(task_id: int):  # type: ignore[no-untyped-def]
    data = object_field(json_body(), "data")
    return jsonify(cases.complete_task(context(), task_id=task_id, actor=caller(), data=data))


@bp.post("/tasks/<int:task_id>/claim")
@signed_in
def claim(task_id: int):  # type: ignore[no-untyped-def]
    task_claims.claim_task(context(), task_id=task_id, actor=caller())
    return jsonify(_task(task_id))


@bp.post("/tasks/<int:task_id>/release")
@signed_in
def release(task_id: int):  # type: ignore[no-untyped-def]
    task_claims.release_task(context(), task_id=task_id, actor=caller())
    return jsonify(_task(task_id))
