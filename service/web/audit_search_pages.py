"""The auditors' search over every case's history (审计检索): filters, a sortable paged table of events,
and the current result as .xlsx. The events come from operations.audit_search, so the page, the API
and the export show the same rows; here they are only put into the reader's words: event kinds,
process and task names of the case's version, field labels of its forms, values as the case page
shows them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.routing import BuildError

from service.adapters.table_export import XLSX_TYPE, Cell, Download, Table, attachment, to_xlsx
from service.domain.audit_search_terms import CASE_KINDS, SORTS, SYSTEM_KINDS, AuditQuery, default_order
from service.operations import audit_search, inbox
from service.operations.context import AppContext
from service.operations.errors import ValidationFailed
from service.operations.localise import localise_forms, localise_process_choices, version_words
from service.web import bp
from service.web.case_pages import people_names, show_value
from service.web.common import context, me, page
from service.web.form_view import labels
from service.web.i18n import known, language, t

PER_PAGE_CHOICES = (25, 50, 100, 200)
REPLAY_ENDPOINT = "web.case_replay"
Label = Callable[..., str]


def kind_label(kind: str, label: Label) -> str:
    return label(f"audit.kind.{kind}") if known(f"audit.kind.{kind}") else kind


def _actor_label(row: dict[str, Any], label: Label) -> str:
    return {"system": label("ev.system"), "worker": label("ev.worker")}.get(row["actor"]) or row["actor_name"]


class _VersionWords:
    """Field labels and option labels per version, read once per request (many rows share one)."""

    def __init__(self, ctx: AppContext, lang: str):
        self.ctx, self.lang = ctx, lang
        self.found: dict[tuple[str, int], tuple[dict[str, str], dict[str, dict[str, str]]]] = {}

    def of(self, process_id: str, version: int) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        key = (process_id, version)
        if key not in self.found:
            forms = inbox.definition_info(self.ctx, process_id, version)["forms"]
            self.found[key] = labels(localise_forms(self.ctx, process_id, version, forms, self.lang))
        return self.found[key]


def in_words(ctx: AppContext, rows: list[dict[str, Any]], lang: str, label: Label) -> list[dict[str, Any]]:
    """The rows of a search as the reader reads them (the stored events keep their own words)."""
    words, people = _VersionWords(ctx, lang), people_names()
    out = []
    for row in rows:
        shown = {**row, "kind_label": kind_label(row["type"], label), "actor_label": _actor_label(row, label)}
        field_labels: dict[str, str] = {}
        options: dict[str, dict[str, str]] = {}
        if row["process_id"] and row["version"] is not None:
            field_labels, options = words.of(row["process_id"], row["version"])
            if lang != "zh":
                english = version_words(ctx, row["process_id"], row["version"])
                shown["process_name"] = english.process_name or row["process_name"]
                shown["task_name"] = english.element(row["element_id"], row["task_name"]) if row["task_name"] else None
        shown["fields"] = [{
            **f, "label": field_labels.get(f["field"]) or (label(f"var.{f['field']}") if known(f"var.{f['field']}")
                                                           else f["field"]),
            "old_shown": show_value(f.get("old"), options.get(f["field"], {}), people) if "old" in f else None,
            "new_shown": show_value(f["new"], options.get(f["field"], {}), people)} for f in row["fields"]]
        out.append(shown)
    return out


def field_text(field: dict[str, Any], label: Label) -> str:
    """One recorded field in words: `label：new`, or `label：old → new` where the event says the old."""
    if field["old_shown"] is not None:
        return label("ev.change", label=field["label"], old=field["old_shown"] or "—", new=field["new_shown"] or "—")
    return label("ctx.pair", label=field["label"], value=field["new_shown"])


def audit_download(ctx: AppContext, result: dict[str, Any], lang: str, label: Label, day: date) -> Download:
    """A search exported whole (`export=True`) as .xlsx: a sheet in `lang`, real dates, a name in `lang`."""
    columns = ("at", "case", "process", "business_key", "customer", "actor", "username", "type", "task", "fields",
               "seq", "hash")
    body: list[list[Cell]] = [[
        datetime.fromisoformat(r["at"]), r["case_id"] or label("audit.system_chain"), r["process_name"] or "",
        r["business_key"] or "", r["customer"] or "", r["actor_label"], r["actor"], r["kind_label"],
        r["task_name"] or "", "；".join(field_text(f, label) for f in r["fields"]), r["seq"], r["hash"]]
        for r in in_words(ctx, result["rows"], lang, label)]
    note = label("audit.capped_note", total=result["total"], n=len(body)) if result["capped"] else ""
    table = Table(title=label("audit.sheet"), headers=[label(f"audit.col.{c}") for c in columns], rows=body,
                  note=note)
    name = f"{label('audit.file')}-{day:%Y%m%d}.xlsx"
    return Download(to_xlsx(table, ctx.tz), {
        "Content-Type": XLSX_TYPE, "Content-Disposition": attachment(name, f"audit-events-{day:%Y%m%d}.xlsx"),
        "X-Total-Count": str(result["total"]), "X-Export-Rows": str(len(body))})


def replay_url(case_id: int) -> str:
    """The case's step-through page: by its endpoint when the application has it, else by its path."""
    if REPLAY_ENDPOINT in current_app.view_functions:
        try:
            return url_for(REPLAY_ENDPOINT, instance_id=case_id)
        except BuildError:
            pass
    return f"/cases/{case_id}/replay"


def _links(query: AuditQuery) -> dict[str, Any]:
    """URLs that keep the current search: per sort column (from page 1), per page, the export."""
    def to(endpoint: str = "web.audit_events", **changes: Any) -> str:
        values: dict[str, Any] = query.arguments(**changes)
        return url_for(endpoint, **values)

    def sort(column: str) -> str:
        order = ("desc" if query.order == "asc" else "asc") if query.sort == column else default_order(column)
        return to(sort=column, order=order, page=1)

    return {"page": lambda n: to(page=n), "sort": sort, "export": to("web.audit_export", page=1),
            "reset": url_for("web.audit_events"), "replay": replay_url}


@bp.get("/audit")
def audit_events():  # type: ignore[no-untyped-def]
    """The search reads the query string; wrong values come back as field errors beside the form."""
    ctx, actor, lang = context(), me()["username"], language()
    choices = audit_search.filter_choices(ctx, actor)  # refuses whoever may not audit, before anything else
    choices["processes"] = localise_process_choices(ctx, choices["processes"], lang)
    errors: dict[str, str] = {}
    try:
        query = audit_search.parse_query(request.args)
        result = audit_search.search(ctx, actor, query)
    except ValidationFailed as exc:
        errors, query, result = exc.field_errors(lang), AuditQuery(), audit_search.nothing_found()
    result["rows"] = in_words(ctx, result["rows"], lang, t)
    return page("audit_events.html", 400 if errors else 200, query=query, result=result, errors=errors,
                args=request.args, links=_links(query), choices=choices, case_kinds=CASE_KINDS,
                system_kinds=SYSTEM_KINDS, sorts=SORTS, per_page_choices=PER_PAGE_CHOICES,
                export_max=audit_search.EXPORT_MAX, field_text=field_text)


@bp.get("/audit/export.xlsx")
def audit_export():  # type: ignore[no-untyped-def]
    """The whole current result (not only the page shown), as a workbook named in the reader's language."""
    ctx, actor = context(), me()["username"]
    audit_search.ensure_may_audit(ctx, actor)
    result = audit_search.search(ctx, actor, audit_search.parse_query(request.args), export=True)
    download = audit_download(ctx, result, language(), t, ctx.now().astimezone(ctx.tz).date())
    return Response(download.body, headers=download.headers)
