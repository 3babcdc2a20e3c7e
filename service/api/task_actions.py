"""The 审批 actions in the API: transfer, delegate, urge, comments and copies on a task; comments,
copies and withdrawing on a case. Refusals are problem+json (403 not yours, 409 not now, 400 with
the field for bad input); a delegate's submission goes through the task's ordinary `complete`."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.operations import action_options, case_comments, case_copies, task_actions, withdraw


def _body() -> dict[str, Any]:
    """The JSON object sent; an action without parameters (urge) may send none at all."""
    return json_body() if request.get_data(cache=True) or request.is_json else {}


@bp.post("/tasks/<int:task_id>/transfer")
@signed_in
def transfer_task(task_id: int):  # type: ignore[no-untyped-def]
    """转办: {"to": user} — the holder hands the task over; a supervisor reassigns it."""
    return jsonify(task_actions.transfer_task(context(), task_id=task_id, actor=caller(), to=json_body().get("to")))


@bp.post("/tasks/<int:task_id>/delegate")
@signed_in
def delegate_task(task_id: int):  # type: ignore[no-untyped-def]
    """委派: {"to": user} — the delegate fills the form, the task returns to the delegator to confirm."""
    return jsonify(task_actions.delegate_task(context(), task_id=task_id, actor=caller(), to=json_body().get("to")))


@bp.post("/tasks/<int:task_id>/urge")
@signed_in
def urge_task(task_id: int):  # type: ignore[no-untyped-def]
    """催办: remind the holder(s), at most once per working hour."""
    _body()
    return jsonify(task_actions.urge_task(context(), task_id=task_id, actor=caller()))


@bp.get("/tasks/<int:task_id>/actions")
@signed_in
def task_action_options(task_id: int):  # type: ignore[no-untyped-def]
    """Which actions the caller may take on the task now, with whom, and its delegation draft."""
    return jsonify(action_options.task_options(context(), task_id, caller()))


@bp.get("/tasks/<int:task_id>/comments")
@signed_in
def list_task_comments(task_id: int):  # type: ignore[no-untyped-def]
    """The comments on the task."""
    return jsonify(case_comments.list_comments(context(), actor=caller(), task_id=task_id))


@bp.post("/tasks/<int:task_id>/comments")
@signed_in
def comment_task(task_id: int):  # type: ignore[no-untyped-def]
    """审批意见: {"text"} on the task; @mentions are notified."""
    comment = case_comments.add_comment(context(), actor=caller(), text=json_body().get("text"), task_id=task_id)
    return jsonify(comment), 201


@bp.post("/tasks/<int:task_id>/copy")
@signed_in
def copy_from_task(task_id: int):  # type: ignore[no-untyped-def]
    """抄送: {"to": [users]} — the case of this task, to people who only read it."""
    return jsonify(case_copies.copy_case(context(), actor=caller(), to=json_body().get("to"), task_id=task_id))


@bp.get("/process-instances/<int:instance_id>/actions")
@signed_in
def case_action_options(instance_id: int):  # type: ignore[no-untyped-def]
    """Which actions the caller may take on the case now (comment, copy, withdraw)."""
    return jsonify(action_options.case_options(context(), instance_id, caller()))


@bp.get("/process-instances/<int:instance_id>/comments")
@signed_in
def list_case_comments(instance_id: int):  # type: ignore[no-untyped-def]
    """Every comment of the case, on it and on its tasks."""
    return jsonify(case_comments.list_comments(context(), actor=caller(), instance_id=instance_id))


@bp.post("/process-instances/<int:instance_id>/comments")
@signed_in
def comment_case(instance_id: int):  # type: ignore[no-untyped-def]
    """审批意见: {"text"} on the case; @mentions are notified."""
    comment = case_comments.add_comment(context(), actor=caller(), text=json_body().get("text"),
                                        instance_id=instance_id)
    return jsonify(comment), 201


@bp.post("/process-instances/<int:instance_id>/copy")
@signed_in
def copy_case(instance_id: int):  # type: ignore[no-untyped-def]
    """抄送: {"to": [users]} — the case, to people who only read it."""
    return jsonify(case_copies.copy_case(context(), actor=caller(), to=json_body().get("to"),
                                         instance_id=instance_id))


@bp.post("/process-instances/<int:instance_id>/withdraw")
@signed_in
def withdraw_case(instance_id: int):  # type: ignore[no-untyped-def]
    """撤回: {"reason"} — the starter cancels the case while nobody else has acted on it."""
    return jsonify(withdraw.withdraw_case(context(), instance_id=instance_id, actor=caller(),
                                          reason=json_body().get("reason")))
