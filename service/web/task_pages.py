"""A task's form and the start forms, rendered by form-js; diagrams for the viewer.

A task page gives the context to decide by: the case summary, the earlier comments and decisions in
order, and what to print (all declared with the forms and the diagram, never per page). After a submit
the person goes on with their next task of the same case, if there is one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, flash, redirect, request, url_for

from service.operations import case_context, inbox, queries
from service.operations.errors import NotFound
from service.operations.localise import localise_diagram, localise_process, localise_processes, localise_task
from service.web import bp, printable_pages
from service.web.case_pages import actor_name, people_names, shown_fields
from service.web.common import context, me, page, when
from service.web.diagram_view import diagram_config
from service.web.form_view import document_fields, field_ids, upload_only
from service.web.i18n import language, t

NUMBER_TYPES = ("number",)


@bp.get("/tasks/<int:task_id>")
def task_page(task_id: int):  # type: ignore[no-untyped-def]
    ctx, actor, lang = context(), me()["username"], language()
    task = localise_task(ctx, inbox.task_page(ctx, task_id, actor), lang)
    form = task.get("form")
    view = queries.case_view_for(ctx, task["instance_id"], actor)
    people = people_names()
    config = {
        "mode": "task", "schema": upload_only(form), "data": task["data"], "fieldIds": field_ids(form),
        "submitUrl": url_for("api.complete_task", task_id=task_id),
        "successUrl": url_for("web.task_submitted", task_id=task_id),
        "readOnly": not task["may_work"],
    }
    return page("task.html", task=task, config=config, docs=document_fields(form) if task["may_work"] else [],
                diagram=diagram_config(task["process_id"], task["version"], task["diagram"],
                                       [task["element_id"]] if task["status"] == "open" else []),
                summary=shown_fields(case_context.case_summary(ctx, task["instance_id"], actor, lang),
                                     task["instance_id"], people),
                decisions=decision_rows(case_context.decisions(ctx, task["instance_id"], actor, lang),
                                        task["instance_id"], people, before=task),
                printables=_printables(task), sees_comments=view.shows_comments)


def _printables(task: dict[str, Any]) -> list[dict[str, str]]:
    """What the task offers to print, sign and upload: [{"label", "url"}] (printable_pages decides)."""
    offer = getattr(printable_pages, "printables_for", None)
    return list(offer(task)) if offer is not None else []


def decision_rows(entries: list[dict[str, Any]], case_id: int, people: dict[str, str],
                  before: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Earlier decisions as sentences; on a task page only what happened before this task was done."""
    rows = []
    for entry in entries:
        if before and before.get("completed_at") and entry["task_id"] == before["id"] and \
                entry["kind"] == "task_completed":
            continue  # a finished task's own submission is the form itself
        values = {"actor": actor_name(people, entry["actor"]), "step": entry["step"] or "",
                  "to": _names(people, entry["to"]), "to_step": entry["to_step"] or "",
                  "decision": t(f"dec.verdict.{entry['decision']}") if entry["decision"] in ("agree", "disagree")
                  else entry["decision"] or ""}
        sentence = f"dec.{entry['kind']}" + (".on" if entry["kind"] == "comment_added" and entry["step"] else "")
        rows.append({"at": when(entry["at"]), "kind": entry["kind"], "sentence": t(sentence, **values),
                     "text": entry["text"], "fields": shown_fields(entry["fields"], case_id, people)})
    return rows


def _names(people: dict[str, str], who: Any) -> str:
    if isinstance(who, list):
        return t("ctx.list_sep").join(people.get(str(u), str(u)) for u in who)
    return people.get(str(who), str(who)) if who else ""


@bp.get("/tasks/<int:task_id>/submitted")
def task_submitted(task_id: int):  # type: ignore[no-untyped-def]
    ctx, actor = context(), me()["username"]
    task = localise_task(ctx, queries.get_task(ctx, task_id, actor=actor), language())
    if task["status"] == "completed":
        following = case_context.next_task_of_case(ctx, task["instance_id"], actor, task_id)
        if following is not None:
            following = localise_task(ctx, following, language())
            flash(t("next.go_on", name=task["name"], next=following["name"]), "success")
            return redirect(url_for("web.task_page", task_id=following["id"]))
        flash(t("next.none", name=task["name"]), "success")
    elif task["status"] == "waiting":
        flash(t("task.held_for_signer", name=task["name"]), "success")
    elif task.get("delegated_by") is None and task["assignee"] != me()["username"]:
        flash(t("task.returned_to_delegator", name=task["name"]), "success")
    return redirect(url_for("web.inbox_page"))


@bp.get("/start")
def start_list():  # type: ignore[no-untyped-def]
    processes = localise_processes(context(), inbox.startable(context(), me()["username"]), language())
    for process in processes:
        process["linked"] = "parent_case" in field_ids(process["form"])
    return page("start_list.html", processes=processes)


@bp.get("/start/<process_id>")
def start_form(process_id: str):  # type: ignore[no-untyped-def]
    found = [p for p in inbox.startable(context(), me()["username"]) if p["process_id"] == process_id]
    if not found:
        raise NotFound("process.not_startable", process=process_id, user=me()["username"])
    process = localise_process(context(), found[0], language())
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
    xml = localise_diagram(context(), process_id, version, inbox.diagram_xml(context(), process_id, version),
                           language())
    return Response(xml, mimetype="application/xml", headers={
        "Content-Disposition": f"attachment; filename=\"diagram.bpmn\"; filename*=UTF-8''{filename}",
        "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    })
