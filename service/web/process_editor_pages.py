"""The editor page of a process (process owners only): the diagram in the modeler, the draft's forms in the
form editor, its decision tables. The page holds no rules: it loads the draft from the drafts endpoint and
saves, checks and deploys it there, so the page accepts and refuses exactly what the API does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import url_for

from service.domain.roles import ROLES, role_label
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import language, t
from service.web.process_pages import check_editor
from service.web.process_rows import process
from service.web.security_headers import EDITOR_POLICY
from service.web.texts import processes as texts

MODELER_BUNDLE = "modeler/guicheng-modeler.min.js"
MODELER_STYLES = "modeler/guicheng-modeler.css"
SCRIPT_PREFIX = "processes.js."
# the decision editor of the bundle needs dmn-js (global DmnJS) and its style sheets, vendored beside it
DECISION_SCRIPT = "vendor/dmn-js/dmn-modeler.production.min.js"
DECISION_STYLES = ("vendor/dmn-js/assets/diagram-js.css", "vendor/dmn-js/assets/dmn-js-shared.css",
                   "vendor/dmn-js/assets/dmn-js-drd.css", "vendor/dmn-js/assets/dmn-js-decision-table.css",
                   "vendor/dmn-js/assets/dmn-js-decision-table-controls.css",
                   "vendor/dmn-js/assets/dmn-js-literal-expression.css",
                   "vendor/dmn-js/assets/dmn-font/css/dmn-embedded.css")


def static_file(name: str) -> str | None:
    """The address of a static file when it is there (the modeler bundle ships apart from the pages)."""
    return url_for("web.static", filename=name) if Path(bp.static_folder or "", name).is_file() else None


def script_labels() -> dict[str, str]:
    """The labels the page scripts show (keys `processes.js.*`), in the page's language."""
    return {key.removeprefix(SCRIPT_PREFIX): t(key) for key in texts.ZH if key.startswith(SCRIPT_PREFIX)}


def editor_config(process_id: str) -> dict[str, Any]:
    """What the page's script is given: where the draft lives and how to talk about it."""
    api = "/api/v1"
    return {
        "processId": process_id, "lang": language(),
        "urls": {"draft": f"{api}/process-drafts/{process_id}",
                 "validate": f"{api}/process-drafts/{process_id}/validate",
                 "deploy": f"{api}/process-drafts/{process_id}/deploy",
                 "catalogue": f"{api}/process-editor/catalogue?process_id={process_id}",
                 "check": f"{api}/process-editor/check",
                 "workingDayEnd": f"{api}/calendar/working-day-end",
                 "detail": url_for("web.process_detail", process_id=process_id)},
        "roles": [{"id": r, "name": role_label(r, language())} for r in ROLES],
        "labels": script_labels(),
    }


@bp.get("/processes/<process_id>/edit")
def process_edit(process_id: str):  # type: ignore[no-untyped-def]
    check_editor()
    row = process(context(), process_id, me()["username"], language())
    body, status = page("process_edit.html", process=row, config=editor_config(process_id),
                        modeler_bundle=static_file(MODELER_BUNDLE), modeler_styles=static_file(MODELER_STYLES),
                        decision_scripts=static_file(DECISION_SCRIPT),
                        decision_styles=[url for url in map(static_file, DECISION_STYLES) if url])
    return body, status, {"Content-Security-Policy": EDITOR_POLICY}
