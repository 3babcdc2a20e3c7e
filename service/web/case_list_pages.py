"""Case lists in the browser: the tabs 待办 / 已办 / 我发起的 / 抄送我的 / 全部案例, search, sortable
columns, paging with counts (the next page by keyset, see `case_search`), and the current result as
.xlsx or CSV. The lists come from operations.case_search, so the page shows exactly what the API and
`guicheng cases` show."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for

from service.adapters.table_export import case_download
from service.domain.case_search_terms import STATUSES, CaseQuery, default_order
from service.operations import case_search
from service.operations.errors import ValidationFailed
from service.operations.localise import localise_process_choices, localise_rows
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import language, t

PER_PAGE_CHOICES = (25, 50, 100, 200)
# the columns a header click sorts by, in the order of the table
SORTABLE = ("id", "business_key", "process", "status", "started_at", "due", "updated_at")


def _links(query: CaseQuery) -> dict[str, Any]:
    """URLs that keep the current search: per tab and sort column (from page 1), per page, per export."""
    def to(endpoint: str = "web.case_list", route: dict[str, Any] | None = None, **changes: Any) -> str:
        changes.setdefault("after", "")  # a page position belongs to one page of one search
        values: dict[str, Any] = {**query.arguments(**changes), **(route or {})}
        return url_for(endpoint, **values)

    def sort(column: str) -> str:
        order = ("desc" if query.order == "asc" else "asc") if query.sort == column else default_order(column)
        return to(sort=column, order=order, page=1)

    tab: dict[str, Any] = {"tab": query.tab} if query.tab else {}
    return {"tab": lambda name: to(tab=name, page=1), "page": lambda n: to(page=n), "sort": sort,
            "next": lambda cursor: to(page=query.page + 1, after=cursor),
            "export": lambda fmt: to("web.case_export", {"fmt": fmt}, page=1),
            "reset": url_for("web.case_list", **tab)}


@bp.get("/cases")
def case_list():  # type: ignore[no-untyped-def]
    """The search reads the query string; wrong values come back as field errors beside the form."""
    ctx, actor = context(), me()["username"]
    errors: dict[str, str] = {}
    try:
        query = case_search.parse_query(request.args)
        result = case_search.search(ctx, actor, query)
    except ValidationFailed as exc:
        errors = exc.field_errors(language())
        result = case_search.nothing_found(ctx, actor, request.args.get("tab", ""))
        query = CaseQuery(tab=result["tab"] if result["tab"] == request.args.get("tab") else "")
    result["rows"] = localise_rows(ctx, result["rows"], language())
    choices = case_search.filter_choices(ctx, actor)
    choices["processes"] = localise_process_choices(ctx, choices["processes"], language())
    return page("cases.html", 400 if errors else 200, query=query, result=result, errors=errors,
                args=request.args, links=_links(query), choices=choices,
                statuses=STATUSES, sortable=SORTABLE, per_page_choices=PER_PAGE_CHOICES,
                export_max=case_search.EXPORT_MAX)


@bp.get("/cases/export.<any(xlsx, csv):fmt>")
def case_export(fmt: str):  # type: ignore[no-untyped-def]
    """The whole current result (not only the page shown), as a download named in the reader's language."""
    ctx = context()
    result = case_search.search(ctx, me()["username"], case_search.parse_query(request.args), export=True)
    result["rows"] = localise_rows(ctx, result["rows"], language())
    download = case_download(result, fmt, t, language(), ctx.tz, ctx.now().astimezone(ctx.tz).date())
    return Response(download.body, headers=download.headers)

