"""The inbox: my open tasks with filters, sort, paging (page after page by cursor, operations.open_task_list),
CSV export, claim and release; and my completed tasks."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, flash, redirect, request, url_for

from service.domain.access import READ_ALL_ROLES
from service.operations import inbox, task_claims
from service.operations.inbox import InboxFilter
from service.operations.localise import localise_process_choices, localise_rows
from service.web import bp
from service.web.common import context, due_text, me, page, role_name, safe_next, when
from service.web.i18n import language, t


def _filter() -> InboxFilter:
    args = request.args
    return InboxFilter(process=args.get("process", ""), role=args.get("role", ""),
                       overdue=args.get("overdue") == "1", q=args.get("q", "")[:100],
                       sort=args.get("sort", "due") if args.get("sort") in inbox.SORTS else "due",
                       after=args.get("after", ""))


def _next_page(result: dict[str, Any]) -> str | None:
    """The URL of the page after this one: the same filters, the cursor of its last task."""
    if not result["next"]:
        return None
    return url_for("web.inbox_page", **{**{k: v for k, v in request.args.items() if k != "after"},
                                         "after": result["next"]})


@bp.get("/")
def inbox_page():  # type: ignore[no-untyped-def]
    """My open tasks; with none, a process owner goes to the processes (their work), auditors and
    administrators to all cases."""
    flt = _filter()
    result = _in_reader_language(inbox.inbox(context(), me()["username"], flt))
    if not result["total"] and not request.args and "process_owner" in me()["roles"]:
        return redirect(url_for("web.process_list"))
    if not result["total"] and not request.args and set(me()["roles"]) & READ_ALL_ROLES:
        return redirect(url_for("web.case_list", tab="all"))
    kept: dict[str, Any] = {k: v for k, v in request.args.items() if k != "after"}
    return page("inbox.html", tab="open", flt=flt, result=result, next_page=_next_page(result),
                first_page=url_for("web.inbox_page", **kept))


@bp.get("/done")
def done_page():  # type: ignore[no-untyped-def]
    result = _in_reader_language(inbox.completed_by(context(), me()["username"], request.args.get("page", 1, type=int)))
    return page("done.html", tab="done", result=result)


@bp.get("/inbox.csv")
def inbox_csv():  # type: ignore[no-untyped-def]
    result = _in_reader_language(inbox.inbox(context(), me()["username"], _filter(), per_page=None))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["#", t("inbox.process"), t("inbox.case"), t("inbox.task"), t("inbox.role"),
                     t("inbox.holder"), t("inbox.due"), t("inbox.due_state"), t("inbox.created")])
    for row in result["rows"]:
        writer.writerow([_cell(v) for v in (
            row["id"], row["process_name"], row["business_key"], row["name"], role_name(row["role"]),
            row["assignee"] or "", when(row["due_at"]), due_text(row["due"]) if row["due_at"] else "",
            when(row["created_at"]))])
    body = "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8
    return Response(body.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=inbox.csv"}, content_type="text/csv; charset=utf-8")


def _in_reader_language(result: dict[str, Any]) -> dict[str, Any]:
    """Task and process names as the reader reads them (the diagrams' English with `lang=en`)."""
    rows = localise_rows(context(), result["rows"], language())
    return {**result, "rows": rows, **({"processes": localise_process_choices(
        context(), result["processes"], language())} if "processes" in result else {})}


def _cell(value: object) -> object:
    """Text that Excel would run as a formula is kept as text."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


@bp.post("/tasks/<int:task_id>/claim")
def claim(task_id: int):  # type: ignore[no-untyped-def]
    task_claims.claim_task(context(), task_id=task_id, actor=me()["username"])
    flash(t("inbox.claimed", id=task_id), "success")
    return redirect(safe_next(request.form.get("next"), "/"))


@bp.post("/tasks/<int:task_id>/release")
def release(task_id: int):  # type: ignore[no-untyped-def]
    task_claims.release_task(context(), task_id=task_id, actor=me()["username"])
    flash(t("inbox.released", id=task_id), "success")
    return redirect(safe_next(request.form.get("next"), "/"))
