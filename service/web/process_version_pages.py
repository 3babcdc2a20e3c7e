"""Two versions of a process side by side (what changed) and moving running cases to another version. The
pages lay out what the diff and migration endpoints answer; moving cases is for process owners only."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from service.operations.errors import NotFound
from service.web import bp
from service.web.common import context, me, page
from service.web.diagram_view import diagram_config
from service.web.i18n import language
from service.web.process_editor_pages import MODELER_BUNDLE, script_labels, static_file
from service.web.process_pages import check_reader, may_edit
from service.web.process_rows import process


def _version(row: dict[str, Any], name: str, default: int | None) -> int | None:
    """A version named in the query (`from`, `to`), which must be one of the process's; else `default`."""
    raw = request.args.get(name, "")
    if not raw:
        return default
    known = {v["version"] for v in row["versions"]}
    if not raw.isdigit() or int(raw) not in known:
        raise NotFound("process_pages.version_unknown", process_id=row["process_id"], version=raw[:20])
    return int(raw)


def _api(process_id: str, tail: str) -> str:
    return f"/api/v1/process-definitions/{process_id}/{tail}"


@bp.get("/processes/<process_id>/diff")
def process_diff(process_id: str):  # type: ignore[no-untyped-def]
    check_reader()
    row = process(context(), process_id, me()["username"], language())
    versions = [v["version"] for v in row["versions"]]
    to = _version(row, "to", versions[0] if versions else None)
    older = [v for v in versions if to is not None and v < to]
    start = _version(row, "from", older[0] if older else to)
    diagrams = {name: diagram_config(process_id, v, {}) for name, v in (("from", start), ("to", to)) if v}
    config = {"url": _api(process_id, f"diff?from={start}&to={to}") if start and to else None,
              "labels": script_labels(), "lang": language()}
    return page("process_diff.html", process=row, start=start, to=to, diagrams=diagrams, config=config,
                modeler_bundle=static_file(MODELER_BUNDLE))


@bp.get("/processes/<process_id>/migration")
def process_migration(process_id: str):  # type: ignore[no-untyped-def]
    check_reader()
    row = process(context(), process_id, me()["username"], language())
    to = _version(row, "to", row["version"])
    config = {"preview": _api(process_id, f"migration?to={to}"), "migrate": _api(process_id, "migration"),
              "to": to, "mayMigrate": may_edit(), "labels": script_labels(), "lang": language(),
              "casePage": url_for("web.case_page", case_id=0).removesuffix("0")}
    return page("process_migration.html", process=row, to=to, config=config, may_edit=may_edit())
