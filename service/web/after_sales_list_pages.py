"""The after-sales lists in the browser: /after-sales/lists/<list> with a condition builder, sort, groups,
column choice, "200 of 201 shown", and the current result as .xlsx or a standalone HTML file.

A plain GET form that works without scripts: each condition is a row of selects and a value, "add a
condition" and "remove" are submit buttons that come back with one row more or less, so the page
itself holds the whole query in its address (bookmark it, send it). The rows come from
operations.after_sales_lists, the same as the API's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Response, g, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from service.adapters.list_export import facts, list_download
from service.domain import list_query as lq
from service.domain.list_query import ListQuery, ListResult
from service.operations import after_sales_lists as lists
from service.operations.errors import ValidationFailed
from service.web import bp
from service.web.common import context, me, page, when
from service.web.i18n import language, t

SORT_ROWS = 3
GROUP_ROWS = 3
BLANK = ("and", "", "~", "")
# who finds the lists in the top bar: those who work on after-sales orders or follow them (what each
# one sees in them is the case policy's answer, not this set's)
LIST_ROLES = frozenset({"service_desk", "engineer", "tech_director", "management", "admin", "auditor",
                        "process_owner", "customer", "finance"})


@bp.app_context_processor
def _after_sales_lists_nav() -> dict[str, Any]:
    current = g.get("me")
    return {"sees_after_sales_lists": bool(current and set(current["roles"]) & LIST_ROLES)}


def _pairs(args: MultiDict[str, str], drop: Iterable[str] = ()) -> list[tuple[str, str]]:
    dropped = set(drop)
    return [(k, v) for k, v in args.items(multi=True) if k not in dropped]


def _condition_rows(args: MultiDict[str, str]) -> list[tuple[str, str, str, str]]:
    """The form's condition rows in order, after its add / remove buttons did their work."""
    values = args.getlist("value")
    fields, ops, joins = args.getlist("field"), args.getlist("op"), args.getlist("join")
    rows = [(joins[i] if i < len(joins) else "and", fields[i] if i < len(fields) else "",
             ops[i] if i < len(ops) else "~", v) for i, v in enumerate(values)]
    remove = args.get("remove", "")
    if remove.isdigit() and int(remove) < len(rows):
        del rows[int(remove)]
    if args.get("add"):
        rows.append(BLANK)
    return rows


def _effective(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The query the form says: its condition rows, and sort rows (sort_col + sort_dir) as `sort`."""
    out: MultiDict[str, str] = MultiDict(_pairs(args, ("join", "field", "op", "value", "add", "remove", "sort_col",
                                                       "sort_dir")))
    for join, field, op, value in _condition_rows(args):
        if value.strip() or op not in ("~", "!~"):
            out.add("join", join)
            out.add("field", field)
            out.add("op", op)
            out.add("value", value)
    directions = args.getlist("sort_dir")
    for index, column in enumerate(args.getlist("sort_col")):
        if column:
            descending = index < len(directions) and directions[index] == "desc"
            out.add("sort", f"-{column}" if descending else column)
    return out


def _sort_link(key: str, args: MultiDict[str, str], query: ListQuery) -> str:
    """The list sorted by this column alone: ascending, or descending when it already is ascending."""
    current = query.sort[0] if query.sort else None
    descending = bool(current and current.column == key and not current.descending)
    pairs = _pairs(args, ("sort",)) + [("sort", f"-{key}" if descending else key)]
    return f"{request.path}?{urlencode(pairs)}"


@bp.get("/after-sales/lists")
def after_sales_lists_home():  # type: ignore[no-untyped-def]
    return redirect(url_for("web.after_sales_list", key="orders"))


@bp.get("/after-sales/lists/<key>")
def after_sales_list(key: str):  # type: ignore[no-untyped-def]
    """The list and its query form; a refused query shows what is wrong beside the form, and no rows."""
    listed, lang = lists.definition(key), language()
    args = request.args.copy()
    effective = _effective(args)
    errors: dict[str, str] = {}
    try:
        query = lists.read_query(listed, effective)
        result = lists.search(context(), me()["username"], key, query)
    except ValidationFailed as exc:
        errors = exc.field_errors(lang)
        query = ListQuery()
        result = ListResult([], 0, tuple(c for c in listed.columns if c.key in listed.default_columns), (), query,
                            listed.columns)
    rows = _condition_rows(args) or [BLANK]
    if not args.get("add") and rows[-1] != BLANK and len(rows) < lq.CONDITIONS_MAX:
        rows.append(BLANK)  # always room for one more condition
    sort_rows = [(k.column, "desc" if k.descending else "asc") for k in query.sort][:SORT_ROWS]
    sort_rows += [("", "asc")] * (SORT_ROWS - len(sort_rows))
    group_rows = list(query.group_by[:GROUP_ROWS]) + [""] * (GROUP_ROWS - len(query.group_by[:GROUP_ROWS]))
    exported = urlencode(_pairs(effective))
    return page("after_sales_lists.html", 400 if errors else 200, listed=listed, lists=lists.LISTS, result=result,
                query=query, errors=errors, rows=rows, sort_rows=sort_rows, group_rows=group_rows,
                operators=lq.OPERATORS, lines=lq.lines(result), cell=lambda c, v: lq.cell_text(c, v, lang),
                group_label=lambda grp: lq.group_label(grp, {c.key: c for c in listed.columns}, lang),
                sort_link=lambda column: _sort_link(column, effective, query), where=args.get("where", ""),
                export=lambda fmt: url_for("web.after_sales_list_export", key=key, fmt=fmt) + "?" + exported,
                limit=lq.LIMIT, shown_keys=[c.key for c in result.columns])


@bp.get("/after-sales/lists/<key>/export.<any(xlsx, html):fmt>")
def after_sales_list_export(key: str, fmt: str):  # type: ignore[no-untyped-def]
    """The current result (the rows shown, at most 200, with its groups) as a file named in the reader's
    language: 售服派工单-20260930.xlsx."""
    ctx, lang = context(), language()
    listed = lists.definition(key)
    query = lists.read_query(listed, _effective(request.args.copy()))
    result = lists.search(ctx, me()["username"], key, query)
    day = ctx.now().astimezone(ctx.tz).date()
    said = facts(listed, result, lang, t, when(ctx.now()), me()["display_name"])
    download = list_download(result, fmt, listed.title(lang), f"{listed.title(lang)}-{day:%Y%m%d}",
                             f"after-sales-{key}-{day:%Y%m%d}", lang, t, said, ctx.tz)
    return Response(download.body, headers=download.headers)
