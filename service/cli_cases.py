"""Case search from the command line: `guicheng cases` — the lists of the pages, as a table that lines
up with Chinese text, as one JSON document, or exported whole to .xlsx / CSV files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from service.adapters.table_export import case_download, display_width
from service.domain.roles import role_label
from service.operations import case_search
from service.operations.context import AppContext, build_context
from service.web.i18n import LANGUAGES, translate

CELL_WIDEST = 28


def _fit(text: str, width: int) -> str:
    """`text` padded (or cut, with …) to `width` terminal columns."""
    if display_width(text) > width:
        while display_width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - display_width(text))


def _when(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def _holding(row: dict[str, Any], lang: str) -> str:
    tasks = [f"{t['name']}→{t['assignee_name'] or t['assignee'] or role_label(t['role'], lang)}"
             for t in row["current_tasks"]]
    return "；".join(tasks) or "-"


def _table(result: dict[str, Any], lang: str) -> list[str]:
    label = lambda key: translate(lang, f"cases.col.{key}")  # noqa: E731
    headers = [label(k) for k in ("id", "process", "business_key", "status", "started_by", "started_at", "tasks",
                                  "due_at")]
    cells = [[str(r["id"]), r["process_name"], r["business_key"] or "-", translate(lang, f"status.{r['status']}"),
              r["started_by_name"], _when(r["started_at"]), _holding(r, lang),
              _when(r["due_at"]) + (f" ({translate(lang, 'cases.overdue')})" if r["overdue"] else "")]
             for r in result["rows"]]
    widths = [min(CELL_WIDEST, max(display_width(c) for c in column)) for column in zip(headers, *cells, strict=False)]
    return ["  ".join(_fit(c, w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [headers, *cells]]


def _export(ctx: AppContext, actor: str | None, query: case_search.CaseQuery, path: Path, fmt: str,
            lang: str) -> None:
    result = case_search.search(ctx, actor, query, export=True)
    download = case_download(result, fmt, lambda key, **values: translate(lang, key, **values), lang, ctx.tz,
                             ctx.now().astimezone(ctx.tz).date())
    path.write_bytes(download.body)
    click.echo(f"{path}: {len(result['rows'])} of {result['total']} cases", err=True)


@click.command(name="cases")
@click.option("--as", "actor", default=None, help="the lists of this user (default: every case)")
@click.option("--tab", default=None, help="todo | done | started | copied | all")
@click.option("--process", default=None, help="process id")
@click.option("--status", default=None, help="running | error | completed | cancelled")
@click.option("--key", default=None, help="business key or customer; * is a wildcard (欧*)")
@click.option("--starter", default=None, help="user name of who started the case")
@click.option("--holder", default=None, help="user name holding an open task")
@click.option("--from", "started_from", default=None, help="started on or after (YYYY-MM-DD)")
@click.option("--to", "started_to", default=None, help="started on or before (YYYY-MM-DD)")
@click.option("--overdue", is_flag=True, help="only cases with an open task past its deadline")
@click.option("--sort", default=None, help="started_at | updated_at | id | business_key | process | status | due")
@click.option("--order", default=None, help="asc | desc")
@click.option("--page", default=None, help="page number (from 1)")
@click.option("--per-page", "per_page", default=None, help="cases per page (at most 200)")
@click.option("--json", "as_json", is_flag=True, help="the page as one JSON document (as the API returns it)")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="export the whole result to this .xlsx file")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="export the whole result to this CSV file")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True, help="words of the table")
def cases(actor: str | None, started_from: str | None, started_to: str | None, overdue: bool, as_json: bool,
          xlsx_path: Path | None, csv_path: Path | None, lang: str, **filters: str | None) -> None:
    """The case lists and search a user may see (`*` wildcards in --key)."""
    args = {k: v for k, v in {**filters, "from": started_from, "to": started_to}.items() if v is not None}
    query = case_search.parse_query({**args, "overdue": "1" if overdue else ""})
    ctx = build_context()
    for path, fmt in ((xlsx_path, "xlsx"), (csv_path, "csv")):
        if path is not None:
            _export(ctx, actor, query, path, fmt, lang)
    if xlsx_path or csv_path:
        return
    result = case_search.search(ctx, actor, query)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if not result["rows"]:
        click.echo(translate(lang, "cases.empty"))
    else:
        click.echo("\n".join(_table(result, lang)))
    click.echo(translate(lang, "cases.count", n=result["total"], page=result["page"], pages=result["pages"]))


COMMANDS: list[click.Command] = [cases]
