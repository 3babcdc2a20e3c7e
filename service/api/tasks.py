"""The caller's tasks: list, read, complete, claim, release."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, object_field
from service.api.language import language
from service.operations import cases, queries, task_claims
from service.operations.localise import localise_task


@bp.get("/tasks")
@signed_in
def list_tasks():  # type: ignore[no-untyped-def]
    return jsonify([localise_task(context(), t, language()) for t in queries.open_tasks(context(), actor=caller())])


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
