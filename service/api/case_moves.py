"""退回 and 加签 in the API (the engine-moving 审批 actions; the others are in task_actions.py)."""

from __future__ import annotations

from flask import jsonify

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.operations import case_moves


@bp.get("/tasks/<int:task_id>/send-back")
@signed_in
def send_back_targets(task_id: int):  # type: ignore[no-untyped-def]
    """The steps this task may be sent back to (empty when the caller may not send it back)."""
    return jsonify(case_moves.send_back_targets(context(), task_id, caller()))


@bp.post("/tasks/<int:task_id>/send-back")
@signed_in
def send_back(task_id: int):  # type: ignore[no-untyped-def]
    body = json_body()
    return jsonify(case_moves.send_back(context(), task_id=task_id, actor=caller(), to_task=body.get("to_task"),
                                        reason=body.get("reason")))


@bp.post("/tasks/<int:task_id>/add-signer")
@signed_in
def add_signer(task_id: int):  # type: ignore[no-untyped-def]
    body = json_body()
    return jsonify(case_moves.add_signer(context(), task_id=task_id, actor=caller(), to=str(body.get("to") or ""),
                                         position=str(body.get("position") or "before"),
                                         text=str(body.get("text") or "")))
