"""The 审批 actions on the task and case pages: plain forms posting here, which call the same
operations as the API; a refusal comes back as a flash message on the page it came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for

from service.domain import documents
from service.operations import action_options, case_comments, case_copies, task_actions, withdraw
from service.operations.errors import OperationError, ValidationFailed
from service.web import bp
from service.web.common import context, me
from service.web.form_view import labels
from service.web.i18n import language, t


@bp.app_template_global()
def task_actions_for(task: dict[str, Any]) -> dict[str, Any]:
    """What the task page's action panel shows to the signed-in person (the rules of the actions)."""
    options = action_options.task_options(context(), int(task["id"]), me()["username"])
    options["draft_rows"] = _draft_rows(options["draft"], task.get("form")) if options["drafted_by"] else []
    return options


@bp.app_template_global()
def case_actions_for(case: dict[str, Any]) -> dict[str, Any]:
    """What the case page's comment, copy and withdraw cards show to the signed-in person."""
    return action_options.case_options(context(), int(case["id"]), me()["username"])


def _draft_rows(draft: dict[str, Any] | None, form: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The delegate's values as the form names them, for the delegator to check."""
    if not draft:
        return []
    names, options = labels({"form": form})
    rows = []
    for key, value in draft.items():
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        shown = "、".join(documents.file_name(v) if documents.is_reference(v) else
                         t("yes") if v is True else t("no") if v is False else
                         options.get(key, {}).get(str(v), str(v)) for v in values if v is not None)
        rows.append((names.get(key, key), shown))
    return rows


def _attempt(action: Callable[[], str], back: str) -> Any:
    """Run the action; its success message, or the refusal, is flashed on the page it leads to."""
    try:
        target = action()
    except ValidationFailed as exc:
        fields = exc.field_errors(language())
        flash(t("ta.refused", why="；".join(fields.values()) or exc.render(language())), "error")
        return redirect(back)
    except OperationError as exc:
        flash(t("ta.refused", why=exc.render(language())), "error")
        return redirect(back)
    return redirect(target)


def _task_page(task_id: int) -> str:
    return url_for("web.task_page", task_id=task_id)


def _case_page(case_id: int) -> str:
    return url_for("web.case_page", case_id=case_id)


@bp.post("/tasks/<int:task_id>/transfer")
def task_transfer(task_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        to = request.form.get("to", "")
        done = task_actions.transfer_task(context(), task_id=task_id, actor=me()["username"], to=to)
        flash(t("ta.transferred", id=task_id, to=to), "success")
        return _task_page(task_id) if done["by_supervisor"] else url_for("web.inbox_page")
    return _attempt(act, _task_page(task_id))


@bp.post("/tasks/<int:task_id>/delegate")
def task_delegate(task_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        to = request.form.get("to", "")
        task_actions.delegate_task(context(), task_id=task_id, actor=me()["username"], to=to)
        flash(t("ta.delegated", id=task_id, to=to), "success")
        return url_for("web.inbox_page")
    return _attempt(act, _task_page(task_id))


@bp.post("/tasks/<int:task_id>/urge")
def task_urge(task_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        done = task_actions.urge_task(context(), task_id=task_id, actor=me()["username"])
        flash(t("ta.urged", to="、".join(done["to"])), "success")
        return _task_page(task_id)
    return _attempt(act, _task_page(task_id))


def _copied(done: dict[str, Any]) -> None:
    if done["copied"]:
        flash(t("ta.copied", to="、".join(done["copied"])), "success")
    else:
        flash(t("ta.copied_none"), "info")


@bp.post("/tasks/<int:task_id>/copy")
def task_copy(task_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        _copied(case_copies.copy_case(context(), actor=me()["username"], to=request.form.getlist("to"),
                                      task_id=task_id))
        return _task_page(task_id)
    return _attempt(act, _task_page(task_id))


@bp.post("/tasks/<int:task_id>/comments")
def task_comment(task_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        case_comments.add_comment(context(), actor=me()["username"], text=request.form.get("text", ""),
                                  task_id=task_id)
        flash(t("ta.commented"), "success")
        return _task_page(task_id) + "#comments"
    return _attempt(act, _task_page(task_id))


@bp.post("/cases/<int:case_id>/comments")
def case_comment(case_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        case_comments.add_comment(context(), actor=me()["username"], text=request.form.get("text", ""),
                                  instance_id=case_id)
        flash(t("ta.commented"), "success")
        return _case_page(case_id) + "#comments"
    return _attempt(act, _case_page(case_id))


@bp.post("/cases/<int:case_id>/copy")
def case_copy(case_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        _copied(case_copies.copy_case(context(), actor=me()["username"], to=request.form.getlist("to"),
                                      instance_id=case_id))
        return _case_page(case_id)
    return _attempt(act, _case_page(case_id))


@bp.post("/cases/<int:case_id>/withdraw")
def case_withdraw(case_id: int):  # type: ignore[no-untyped-def]
    def act() -> str:
        withdraw.withdraw_case(context(), instance_id=case_id, actor=me()["username"],
                               reason=request.form.get("reason", ""))
        flash(t("ta.withdrawn"), "success")
        return _case_page(case_id)
    return _attempt(act, _case_page(case_id))
