"""Case search in the API: the lists of the pages (tabs, filters, sort, paging) as JSON, or the whole
result as an .xlsx or CSV download. `GET /api/v1/process-instances/{id}` (one case) is processes.py."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from service.adapters.table_export import case_download
from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.domain.case_search_terms import ORDERS, PER_PAGE_MAX, SORTS, STATUSES, TABS
from service.domain.messages import Message
from service.domain.task_cursor import CURSOR_MAX
from service.operations import case_search
from service.operations.errors import ValidationFailed
from service.web.i18n import translate

FORMATS = ("json", "xlsx", "csv")


def _text(description: str, **schema: Any) -> dict[str, Any]:
    return {"in": "query", "required": False, "description": description, "schema": {"type": "string", **schema}}


# the query of GET /api/v1/process-instances, for the OpenAPI document
QUERY_PARAMETERS: list[dict[str, Any]] = [
    {"name": "tab", **_text("todo 待办, done 已办, started 我发起的, copied 抄送我的, all 全部案例 (auditors, process "
                            "owners, administrators); default: all for those, else todo", enum=list(TABS))},
    {"name": "process", **_text("process id", maxLength=128)},
    {"name": "status", **_text("case status", enum=list(STATUSES))},
    {"name": "key", **_text("business key or customer; * is a wildcard (欧*), otherwise found anywhere",
                            maxLength=100)},
    {"name": "starter", **_text("user name of who started the case", maxLength=128)},
    {"name": "holder", **_text("user name holding an open task of the case", maxLength=128)},
    {"name": "from", **_text("started on or after this day (YYYY-MM-DD, company time zone)", format="date")},
    {"name": "to", **_text("started on or before this day (YYYY-MM-DD)", format="date")},
    {"name": "overdue", **_text("1: only cases with an open task past its deadline", enum=["0", "1"])},
    {"name": "sort", **_text("sort column", enum=list(SORTS))},
    {"name": "order", **_text("asc or desc (default: newest first for times and ids, else asc)", enum=list(ORDERS))},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": 25}},
    {"name": "after", **_text("the next page: the `next` cursor of the page before (also sent as a Link rel=next "
                              "header); the search and sort must be the same", maxLength=CURSOR_MAX)},
    {"name": "format", **_text("json (one page), xlsx or csv (the whole result, at most "
                               f"{case_search.EXPORT_MAX} cases)", enum=list(FORMATS))},
]


@bp.get("/process-instances")
@signed_in
def search_instances():  # type: ignore[no-untyped-def]
    """Case search: tab, filters, sort and paging; format=xlsx or csv exports the whole result."""
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise ValidationFailed("search.format_refused", {"format": Message("search.format", {"value": fmt[:40]})})
    ctx, query = context(), case_search.parse_query(request.args)
    if fmt == "json":
        found = case_search.search(ctx, caller(), query)
        response = jsonify(found)
        if found["next"]:
            following = url_for("api.search_instances", **{**request.args, "after": found["next"],
                                                           "page": str(query.page + 1)}, _external=True)
            response.headers["Link"] = f'<{following}>; rel="next"'
        return response
    lang = language()
    download = case_download(case_search.search(ctx, caller(), query, export=True), fmt,
                             lambda key, **values: translate(lang, key, **values), lang, ctx.tz,
                             ctx.now().astimezone(ctx.tz).date())
    return Response(download.body, headers=download.headers)
