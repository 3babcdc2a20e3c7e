"""Auditors' search over every case's history, over the API (with an .xlsx export).

GET /api/v1/audit/events takes the arguments of the 审计检索 page; `format=xlsx` downloads the whole
result (at most EXPORT_MAX events) in the reader's language. Auditors and administrators only."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.api.openapi import QUERIES
from service.domain.audit_search_terms import KINDS, ORDERS, PER_PAGE, PER_PAGE_MAX, SORTS
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import Message
from service.operations import audit_search
from service.operations.errors import ValidationFailed
from service.web import audit_search_pages as pages
from service.web.i18n import translate

FORMATS = ("json", "xlsx")


def _text(description: str, **schema: Any) -> dict[str, Any]:
    return {"in": "query", "required": False, "description": description, "schema": {"type": "string", **schema}}


# the query of GET /api/v1/audit/events, for the OpenAPI document
QUERY_PARAMETERS: list[dict[str, Any]] = [
    {"name": "actor", **_text("who did it: the user name exactly, or the display name (* is a wildcard)",
                              maxLength=100)},
    {"name": "type", **_text("event kind", enum=list(KINDS))},
    {"name": "field", **_text("form field or case variable the event recorded a value of", maxLength=64,
                              pattern="^[A-Za-z_][A-Za-z0-9_]*$")},
    {"name": "process", **_text("process id", maxLength=128)},
    {"name": "customer", **_text("customer of the case; * is a wildcard, otherwise found anywhere", maxLength=100)},
    {"name": "key", **_text("business key of the case; * is a wildcard, otherwise found anywhere", maxLength=100)},
    {"name": "from", **_text("on or after this day (YYYY-MM-DD, company time zone)", format="date")},
    {"name": "to", **_text("on or before this day (YYYY-MM-DD)", format="date")},
    {"name": "case", "in": "query", "required": False, "description": "case id",
     "schema": {"type": "integer", "minimum": 1, "maximum": DATABASE_ID_MAX}},
    {"name": "system", **_text("1: also the system chain (deployments, users, calendar)", enum=["0", "1"])},
    {"name": "sort", **_text("sort column", enum=list(SORTS))},
    {"name": "order", **_text("asc or desc (default: newest first for time and case, else asc)", enum=list(ORDERS))},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": PER_PAGE}},
    {"name": "format", **_text(f"json (one page) or xlsx (the whole result, at most {audit_search.EXPORT_MAX} "
                               "events)", enum=list(FORMATS))},
]
QUERIES[("get", "/api/v1/audit/events")] = QUERY_PARAMETERS


@bp.get("/audit/events")
@signed_in
def audit_events():  # type: ignore[no-untyped-def]
    """Audit search: events of every case by actor, kind, changed field; format=xlsx exports them."""
    ctx, actor, lang = context(), caller(), language()
    audit_search.ensure_may_audit(ctx, actor)
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise ValidationFailed("audit_search.format_refused",
                               {"format": Message("audit_search.format", {"value": fmt[:40]})})
    query = audit_search.parse_query(request.args)

    def label(key: str, **values: Any) -> str:
        return translate(lang, key, **values)

    if fmt == "json":
        result = audit_search.search(ctx, actor, query)
        result["rows"] = [{**row, "type_label": pages.kind_label(row["type"], label)} for row in result["rows"]]
        return jsonify(result)
    download = pages.audit_download(ctx, audit_search.search(ctx, actor, query, export=True), lang, label,
                              ctx.now().astimezone(ctx.tz).date())
    return Response(download.body, headers=download.headers)
