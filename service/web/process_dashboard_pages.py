"""A process's dashboard page: the diagram with the number of cases waiting at each element, the steps'
median times, and the overdue tasks per role and per person. The figures are
`operations.process_dashboard`'s; this page puts names on them in the reader's language."""

from __future__ import annotations

from flask import request

from service.operations import inbox, process_dashboard
from service.operations.localise import localise_case
from service.web import bp
from service.web.case_pages import people_names
from service.web.common import context, me, page
from service.web.diagram_view import diagram_config
from service.web.i18n import language, t


@bp.get("/processes/<process_id>/dashboard")
def process_dashboard_page(process_id: str):  # type: ignore[no-untyped-def]
    ctx = context()
    said = request.args.get("version", "")
    version = int(said) if said.isdigit() and len(said) < 10 else None
    found = process_dashboard.dashboard(ctx, me()["username"], process_id, version)
    names = inbox.element_names(ctx, process_id, found["version"])
    shown = localise_case(ctx, {"process_id": process_id, "version": found["version"], "name": found["name"],
                                "element_names": names}, language())
    names = shown.get("element_names") or names
    elements = sorted(set(found["waiting"]) | set(found["steps"]),
                      key=lambda e: (-found["waiting"].get(e, 0), names.get(e, e)))
    steps = [{"element": e, "name": names.get(e, e), "waiting": found["waiting"].get(e, 0),
              **found["steps"].get(e, {"completed": 0, "median_hours": None})} for e in elements]
    # the elements where cases wait are marked as running and brought into view; the badges say how many
    diagram = {**diagram_config(process_id, found["version"], {"active": sorted(found["waiting"])}),
               "heat": found["waiting"], "started": bool(found["waiting"])}
    return page("process_dashboard.html", board=found, name=shown["name"], steps=steps, diagram=diagram,
                diagram_title=t("dashboard.diagram"), people=people_names(),
                sample=process_dashboard.STEP_SAMPLE)
