"""A task's form and the start forms, rendered by form-js; diagrams for the viewer."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, flash, redirect, request, url_for

from service.operations import inbox, queries
from service.operations.errors import NotFound
from service.web import bp
from service.web.common import context, me, page
from service.web.diagram_view import diagram_config
from service.web.form_view import document_fields, field_ids, upload_only
from service.web.i18n import t

NUMBER_TYPES = ("number",)


@bp.get("/tasks/<int:task_id>")
def task_page(task_id: int):  # type: ignore[no-untyped-def]
    task = inbox.task_page(context(), task_id, me()["username"])
    form = task.get("form")
    config = {
        "mode": "task", "schema": upload_only(form), "data": task["data"], "fieldIds": field_ids(form),
        "submitUrl": url_for("api.complete_task", task_id=task_id),
        "successUrl": url_for("web.task_submitted", task_id=task_id),
        "readOnly": not task["may_work"],
    }
    return page("task.html", task=task, config=config, docs=document_fields(form) if task["may_work"] else [],
                diagram=diagram_config(task["process_id"], task["version"], task["diagram"],
                                 [task["element_id"]] if task["status"] == "open" else []))


@bp.get("/tasks/<int:task_id>/submitted")
def task_submitted(task_id: int):  # type: ignore[no-untyped-def]
    task = queries.get_task(context(), task_id, actor=me()["username"])
    if task["status"] == "completed":
        flash(t("task.done", name=task["name"]), "success")
    elif task["status"] == "waiting":
        flash(t("task.held_for_signer", name=task["name"]), "success")
    elif task.get("delegated_by") is None and task["assignee"] != me()["username"]:
        flash(t("task.returned_to_delegator", name=task["name"]), "success")
    return redirect(url_for("web.inbox_page"))


@bp.get("/start")
def start_list():  # type: ignore[no-untyped-def]
    processes = inbox.startable(context(), me()["username"])
    for process in processes:
        process["linked"] = "parent_case" in field_ids(process["form"])
    return page("start_list.html", processes=processes)


@bp.get("/start/<process_id>")
def start_form(process_id: str):  # type: ignore[no-untyped-def]
    found = [p for p in inbox.startable(context(), me()["username"]) if p["process_id"] == process_id]
    if not found:
        raise NotFound(f"process '{process_id}' is not one you may start")
    process = found[0]
    form = process["form"]
    config = {"mode": "start", "schema": upload_only(form), "data": _prefill(form), "fieldIds": field_ids(form),
              "processId": process_id, "submitUrl": url_for("api.start_instance"),
              "successUrl": url_for("web.case_started", case_id=0).replace("/0/", "/{id}/"), "readOnly": False}
    return page("start_form.html", process=process, config=config, docs=document_fields(form),
                diagram=diagram_config(process_id, process["version"], {"completed": [], "active": []}))


def _prefill(form: dict | None) -> dict[str, object]:
    """Query arguments naming fields of the form become its initial values (e.g. `?parent_case=5`)."""
    kinds = {c.get("key"): c.get("type") for c in (form or {}).get("components", []) if isinstance(c, dict)}
    data: dict[str, object] = {}
    for key, value in request.args.items():
        if key in kinds:
            data[key] = int(value) if kinds[key] in NUMBER_TYPES and value.isdigit() else value
    return data


@bp.get("/cases/<int:case_id>/started")
def case_started(case_id: int):  # type: ignore[no-untyped-def]
    flash(t("start.done", id=case_id), "success")
    return redirect(url_for("web.case_page", case_id=case_id))


@bp.get("/processes/<process_id>/<int:version>/diagram.bpmn")
def diagram(process_id: str, version: int):  # type: ignore[no-untyped-def]
    """The deployed BPMN as a download. A diagram may carry any XML (an XHTML <script> inside
    extensionElements is valid BPMN), so the browser must never render it as a page of this site:
    attachment, no sniffing, and a sandbox without scripts if it is opened anyway. The viewer
    reads it with fetch(), which none of this hinders."""
    filename = quote(f"{process_id}-v{version}.bpmn", safe="")
    return Response(inbox.diagram_xml(context(), process_id, version), mimetype="application/xml", headers={
        "Content-Disposition": f"attachment; filename=\"diagram.bpmn\"; filename*=UTF-8''{filename}",
        "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    })
