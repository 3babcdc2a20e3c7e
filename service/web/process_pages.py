"""Pages for process owners (read-only for auditors and administrators): the processes, one process with its
versions and diagram, and a new process from the template. The editor, the diff and the migration pages are
in process_editor_pages and process_version_pages; every change goes through the JSON endpoints."""

from __future__ import annotations

from typing import Any

from flask import request

from service.operations.errors import Forbidden
from service.web import bp
from service.web.common import PROCESS_READERS, context, me, page
from service.web.diagram_view import diagram_config
from service.web.i18n import language
from service.web.process_rows import SORTS, process, processes

EDITOR_ROLE = "process_owner"


def check_reader() -> None:
    """Process owners, auditors and administrators read processes; everyone else is refused."""
    if not set(me()["roles"]) & PROCESS_READERS:
        raise Forbidden("process_pages.read_forbidden", user=me()["username"])


def may_edit() -> bool:
    return EDITOR_ROLE in me()["roles"]


def check_editor() -> None:
    if not may_edit():
        raise Forbidden("process_pages.edit_forbidden", user=me()["username"])


def _sort() -> tuple[str, str]:
    sort = request.args.get("sort", "name")
    order = request.args.get("order", "asc")
    return (sort if sort in SORTS else "name"), ("desc" if order == "desc" else "asc")


@bp.get("/processes")
def process_list():  # type: ignore[no-untyped-def]
    check_reader()
    sort, order = _sort()
    rows = processes(context(), me()["username"], language(), sort, order)
    return page("process_list.html", rows=rows, sort=sort, order=order, sorts=SORTS, may_edit=may_edit())


@bp.get("/processes/new")
def process_new():  # type: ignore[no-untyped-def]
    """The new process's id and name; the page posts them to the drafts endpoint and opens the editor."""
    check_editor()
    return page("process_new.html")


@bp.get("/processes/<process_id>")
def process_detail(process_id: str):  # type: ignore[no-untyped-def]
    check_reader()
    row = process(context(), process_id, me()["username"], language())
    diagram: dict[str, Any] | None = None
    if row["version"] is not None:
        diagram = diagram_config(process_id, row["version"], {})
    return page("process_detail.html", process=row, diagram=diagram, may_edit=may_edit())


# the editor, diff and migration pages register their routes on import
from service.web import process_editor_pages, process_version_pages  # noqa: E402,F401
