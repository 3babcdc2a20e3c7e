"""One case: status, open tasks, summary, data, timeline, diagram, mail thread, documents, linked cases.

What the reader sees of it is decided once, in `domain.case_view` (through the queries): this page only
lays out what comes back, internal variables behind 「技术细节」, system steps behind a toggle.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, send_file, url_for

from service.domain.case_view import PEOPLES_EVENTS
from service.domain.documents import file_name, references
from service.operations import case_context, case_messages, inbox, incidents, queries
from service.operations.errors import Forbidden
from service.operations.localise import localise_case, localise_processes
from service.web import bp
from service.web.common import INCIDENT_READERS, context, me, page, role_name, when
from service.web.diagram_view import diagram_config
from service.web.form_view import labels
from service.web.i18n import known, language, t


@bp.get("/cases/<int:case_id>")
def case_page(case_id: int):  # type: ignore[no-untyped-def]
    ctx, actor, lang = context(), me()["username"], language()
    case = queries.show_case(ctx, case_id, actor=actor)
    case["open_tasks"] = inbox.with_due(ctx, case["open_tasks"])
    info = inbox.definition_info(ctx, case["process_id"], case["version"])
    case = localise_case(ctx, {**case, "events": queries.history(ctx, case_id, actor=actor), "forms": info["forms"],
                               "element_names": inbox.element_names(ctx, case["process_id"], case["version"])}, lang)
    view = queries.case_view_for(ctx, case_id, actor)
    events, names = case.pop("events"), case.pop("element_names")
    people = people_names()
    children = inbox.linked_cases(ctx, case_id) if not view.customer else []
    field_labels, options = labels(case.pop("forms"))
    field_labels.update({k: t("var.due_of", task=name) for k, name in info["due_of"].items() if k not in field_labels})
    rows = _data_rows(case["data"], field_labels, options, case_id, people)
    for row in rows:
        row["internal"] = view.is_internal(row["key"])
    return page(
        "case.html", case=case, children=children, rows=rows, technical=view.technical,
        sees_comments=view.shows_comments, sees_mails=view.shows_mails,
        summary=shown_fields(case_context.case_summary(ctx, case_id, actor, lang), case_id, people),
        timeline=[_sentence(e, names, people, field_labels, options) for e in events],
        mails=inbox.case_mails(ctx, [case_id] + [c["id"] for c in children]) if view.shows_mails else [],
        raise_links=_raise_links(case),
        diagram=diagram_config(case["process_id"], case["version"], inbox.diagram_state(ctx, case_id)),
        people=people, element_names=names,
        case_messages=case_messages.waiting_messages(ctx, case_id, actor) if case["status"] == "running" else [],
        may_handle_incidents=bool(set(me()["roles"]) & incidents.INCIDENT_ROLES))


@bp.post("/cases/<int:case_id>/messages")
def case_message_send(case_id: int):  # type: ignore[no-untyped-def]
    """A message the case waits for, sent from its page with a note; refusals come back as the edge renders them."""
    name = request.form.get("name", "")
    case_messages.send_from_page(context(), case_id, me()["username"], name, request.form.get("note", "").strip())
    flash(t("case_messages.sent"), "success")
    return redirect(url_for("web.case_page", case_id=case_id))


@bp.post("/incidents/<int:incident_id>/retry")
def incident_retry(incident_id: int):  # type: ignore[no-untyped-def]
    result = incidents.retry_incident(context(), incident_id=incident_id, actor=me()["username"])
    flash(t("incident.retried", result=result["result"]), "success" if result["result"] == "fired" else "error")
    return redirect(url_for("web.case_page", case_id=result["incident"]["instance_id"]))


@bp.post("/incidents/<int:incident_id>/cancel")
def incident_cancel(incident_id: int):  # type: ignore[no-untyped-def]
    case_id = incidents.cancel_incident_case(context(), incident_id=incident_id, actor=me()["username"],
                                             reason=request.form.get("reason", ""))
    flash(t("incident.cancelled"), "success")
    return redirect(url_for("web.case_page", case_id=case_id))


@bp.get("/admin/incidents")
def admin_incidents():  # type: ignore[no-untyped-def]
    if not set(me()["roles"]) & INCIDENT_READERS:
        raise Forbidden("incident.may_not_list", user=me()["username"])
    return page("incidents.html", incidents=incidents.list_incidents(context()))


@bp.get("/cases/<int:case_id>/documents")
def case_document(case_id: int):  # type: ignore[no-untyped-def]
    stored = inbox.case_document(context(), case_id, request.args.get("ref", ""), me()["username"])
    return send_file(stored.path, as_attachment=True, download_name=stored.name)


def people_names() -> dict[str, str]:
    return {u["username"]: u["display_name"] for u in inbox.user_list(context())}


def _raise_links(case: dict[str, Any]) -> list[dict[str, str]]:
    """Linked processes this user may start for a running case (their start form asks for `parent_case`)."""
    if case["status"] != "running" or case["parent_id"]:
        return []
    found = []
    for process in localise_processes(context(), inbox.startable(context(), me()["username"]), language()):
        keys = {c.get("key") for c in (process["form"] or {}).get("components", []) if isinstance(c, dict)}
        if "parent_case" in keys:
            found.append({"name": process["name"],
                          "url": url_for("web.start_form", process_id=process["process_id"], parent_case=case["id"])})
    return found


def show_value(value: Any, choices: dict[str, str], people: dict[str, str] | None = None) -> str:
    """A variable as people read it: option labels, 是/否, names of people, file names of documents."""
    people = people or {}
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, list):
        return t("ctx.list_sep").join(show_value(v, choices, people) for v in value)
    if isinstance(value, dict):
        return t("ctx.pair_sep").join(t("ctx.pair", label=k, value=show_value(v, {})) for k, v in value.items())
    if value is None:
        return ""
    if references(value):
        return file_name(value)
    if str(value) in choices:
        return choices[str(value)]
    if isinstance(value, str) and value in people:  # a user name: say who it is
        return f"{people[value]} ({value})"
    return str(value)


def shown_fields(fields: list[dict[str, Any]], case_id: int, people: dict[str, str]) -> list[dict[str, Any]]:
    """Filled fields (case_context) with their values in words and their documents as links."""
    return [{**f, "shown": show_value(f["value"], f["options"], people),
             "documents": _document_links(f["value"], case_id)} for f in fields]


def _document_links(value: Any, case_id: int) -> list[dict[str, str]]:
    return [{"name": file_name(ref), "url": url_for("web.case_document", case_id=case_id, ref=ref)}
            for ref in references(value)]


def _data_rows(data: dict[str, Any], field_labels: dict[str, str], options: dict[str, dict[str, str]],
               case_id: int, people: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for key, value in data.items():
        if key.endswith("_mail") and isinstance(value, dict):
            continue  # a sent mail's id and subject: the mails are listed below
        if value in (None, "", []):
            continue
        label = field_labels.get(key) or (t(f"var.{key}") if known(f"var.{key}") else key)
        row: dict[str, Any] = {"key": key, "label": label, "value": show_value(value, options.get(key, {}), people),
                               "documents": _document_links(value, case_id)}
        if key.endswith("_at") or key.endswith("_due"):
            row["value"] = _time_or_text(value)
        rows.append(row)
    return rows


def _time_or_text(value: Any) -> str:
    try:
        return when(str(value))
    except ValueError:
        return str(value)


def _person(people: dict[str, str], username: Any) -> str:
    if isinstance(username, list):
        return t("ctx.list_sep").join(people.get(str(u), str(u)) for u in username)
    return people.get(str(username), str(username)) if username else ""


def actor_name(people: dict[str, str], actor: str | None) -> str:
    return {"system": t("ev.system"), "worker": t("ev.worker")}.get(actor or "") or people.get(
        actor or "", actor or "")


def _sentence(event: dict[str, Any], names: dict[str, str], people: dict[str, str], field_labels: dict[str, str],
              options: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One audit event as a sentence: who did what, when; a person's action or a system step."""
    p, kind = event["payload"] or {}, event["type"]
    actor = actor_name(people, event["actor"])
    element = p.get("element_id") or ""
    name = p.get("name") or names.get(element) or p.get("operation") or element
    if kind == "message_received" and p.get("elements"):  # the catching element's name, not the message's code
        name = "、".join(names.get(e, e) for e in p["elements"])
    values = {"actor": actor, "name": name, "role": role_name(p.get("role")), "subject": p.get("subject", ""),
              "error": p.get("error", ""), "type": kind, "reason": p.get("reason", ""),
              # the 审批 actions name a person the task went to or came from, and a text
              "to": _person(people, p.get("to")), "from": _person(people, p.get("from")), "text": p.get("text", ""),
              # a linked case (deviation, conflict) and the request it changed
              "case": p.get("linked_case") or p.get("parent_case") or "",
              # a case moved to another version of its process
              "from_version": p.get("from_version", ""), "to_version": p.get("to_version", "")}
    if kind == "parent_case_unchanged":
        values["reason"] = t(f"ev.unchanged.{p.get('reason')}") if known(f"ev.unchanged.{p.get('reason')}") else ""
    key = f"ev.{kind}"
    text = t(key, **values) if known(key) else t("ev.other", **values)
    detail = ""
    if kind == "task_created" and p.get("due_at"):
        detail = t("ev.due", due=when(p["due_at"]))
    elif kind in ("task_completed", "case_started") and p.get("data"):
        shown = [(k, v) for k, v in p["data"].items() if k in field_labels and v not in (None, "")]
        detail = t("ctx.pair_sep").join(
            t("ctx.pair", label=field_labels[k], value=show_value(v, options.get(k, {}), people)) for k, v in shown[:8])
    elif p.get("changes"):
        detail = t("ctx.pair_sep").join(t("ev.change", label=field_labels.get(c["variable"], c["variable"]),
                                          old=show_value(c.get("old"), {}, people) or "—",
                                          new=show_value(c.get("new"), {}, people) or "—") for c in p["changes"])
    return {"at": when(event["at"]), "actor": actor, "text": text, "detail": detail, "kind": kind,
            "seq": event["seq"], "system": kind not in PEOPLES_EVENTS}
