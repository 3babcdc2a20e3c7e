"""退回 and 加签 on the task page: forms posting here, refusals shown as a message on the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for

from service.operations import case_moves
from service.operations.errors import OperationError, ValidationFailed
from service.operations.localise import localise_task
from service.web import bp
from service.web.common import context, me
from service.web.i18n import language, t


@bp.app_template_global()
def task_moves_for(task: dict[str, Any]) -> dict[str, Any]:
    """What the 退回 / 加签 forms offer the signed-in person for this task (nothing if not theirs)."""
    if task.get("status") != "open" or not task.get("may_work") or task.get("kind") == "signer":
        return {"targets": [], "signers": []}
    actor, ctx = me()["username"], context()
    targets = [localise_task(ctx, {**target, "process_id": task["process_id"], "version": task["version"]},
                             language()) for target in case_moves.send_back_targets(ctx, task["id"], actor)]
    return {"targets": targets,
            "signers": case_moves.signer_candidates(ctx, actor)}


def _act(task_id: int, action: Callable[[], Any], done: str):  # type: ignore[no-untyped-def]
    try:
        action()
        flash(done, "success")
    except OperationError as exc:
        fields = exc.field_errors(language()) if isinstance(exc, ValidationFailed) else {}
        flash(f"{t('moves.refused')}{'；'.join(fields.values()) if fields else exc.render(language())}", "error")
    return redirect(url_for("web.task_page", task_id=task_id))


@bp.post("/tasks/<int:task_id>/send-back")
def send_back_page(task_id: int):  # type: ignore[no-untyped-def]
    to_task = request.form.get("to_task", type=int)
    return _act(task_id, lambda: case_moves.send_back(context(), task_id=task_id, actor=me()["username"],
                                                      to_task=to_task, reason=request.form.get("reason", "")),
                t("moves.sent_back"))


@bp.post("/tasks/<int:task_id>/add-signer")
def add_signer_page(task_id: int):  # type: ignore[no-untyped-def]
    form = request.form
    return _act(task_id, lambda: case_moves.add_signer(
        context(), task_id=task_id, actor=me()["username"], to=form.get("to", ""),
        position=form.get("position", "before"), text=form.get("text", "")), t("moves.signer_added"))
