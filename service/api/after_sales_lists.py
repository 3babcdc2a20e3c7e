"""The after-sales lists over the API: `GET /api/v1/after-sales/lists/{key}` with the page's query (where /
field-op-value rows, sort, group, col, limit) returns the rows (at most 200), the total and the groups as
JSON, or the same result as .xlsx or a standalone HTML file (`format`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, jsonify, request

from service.adapters.list_export import facts, list_download
from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.api.openapi import QUERIES
from service.domain import list_query as lq
from service.domain.list_query import Group, ListResult
from service.domain.messages import Message
from service.operations import after_sales_lists as lists
from service.operations.errors import ValidationFailed
from service.web.i18n import translate

FORMATS = ("json", "xlsx", "html")
PATH = "/api/v1/after-sales/lists/{key}"


def _text(description: str, **schema: Any) -> dict[str, Any]:
    return {"in": "query", "required": False, "description": description, "schema": {"type": "string", **schema}}


def _many(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "explode": True,
            "schema": {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20}}


QUERIES[("get", PATH)] = [
    {"name": "where", **_text("conditions as text: `field op value` joined by and / or (AND binds tighter), e.g. "
                              "serial_no ~ 2by*5084*4*1 and customer = 欧莱雅; * is a wildcard, case-insensitive; "
                              "~ contains (default), = whole cell, != !~, and < <= > >= for numbers and dates",
                              maxLength=2000)},
    _many("field", "a condition row's column (key or header; * any field), in step with op, value and join"),
    _many("op", "a condition row's operator: ~ !~ = != < <= > >="),
    _many("value", "a condition row's value"),
    _many("join", "and / or: how a condition row joins the one before it"),
    _many("sort", "sort columns in order; -column for descending"),
    _many("group", "group by these columns, nested in order"),
    _many("col", "the columns to return, in order (default: the list's own)"),
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": lq.LIMIT, "default": lq.LIMIT}},
    {"name": "format", **_text("json (default), xlsx or html (a standalone file)", enum=list(FORMATS))},
]


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _group(group: Group, result: ListResult, lang: str) -> dict[str, Any]:
    columns = {c.key: c for c in result.all_columns}
    return {"column": group.column, "value": _plain(group.value),
            "label": lq.cell_text(columns[group.column], group.value, lang), "count": group.count,
            "sums": group.sums, "groups": [_group(g, result, lang) for g in group.groups]}


def result_json(key: str, result: ListResult, lang: str) -> dict[str, Any]:
    listed = lists.definition(key)
    return {"list": key, "title": listed.title(lang), "total": result.total, "shown": result.shown,
            "limit": result.query.limit,
            "columns": [{"key": c.key, "zh": c.zh, "en": c.en, "kind": c.kind,
                         **({"choices": [{"code": code, "zh": zh, "en": en} for code, zh, en in c.choices]}
                            if c.choices else {})} for c in result.columns],
            "rows": [{"case_id": r.get("case_id"), **{c.key: _plain(r.get(c.key)) for c in result.columns}}
                     for r in result.rows],
            "groups": [_group(g, result, lang) for g in result.groups]}


@bp.get("/after-sales/lists/<key>")
@signed_in
def after_sales_list(key: str):  # type: ignore[no-untyped-def]
    """One of the seven after-sales lists: conditions, sort, groups, columns; at most 200 rows and the total."""
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise ValidationFailed("list.refused", {"format": Message("list.bad_format", {
            "allowed": ", ".join(FORMATS), "value": fmt[:40]})}, parts="format")
    ctx, lang = context(), language()
    listed = lists.definition(key)
    result = lists.search(ctx, caller(), key, lists.read_query(listed, request.args))
    if fmt == "json":
        return jsonify(result_json(key, result, lang))

    def label(code: str, **values: Any) -> str:
        return translate(lang, code, **values)

    now = ctx.now().astimezone(ctx.tz)
    said = facts(listed, result, lang, label, now.strftime("%Y-%m-%d %H:%M"), caller())
    download = list_download(result, fmt, listed.title(lang), f"{listed.title(lang)}-{now:%Y%m%d}",
                             f"after-sales-{key}-{now:%Y%m%d}", lang, label, said, ctx.tz)
    return Response(download.body, headers=download.headers)
