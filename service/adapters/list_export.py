"""A list's result (domain.list_query) as a download: .xlsx through `table_export`, or a standalone HTML
file — seed 004's "列表导出到EXCEL / HTML" — both with the groups as the screen shows them.

Why a standalone HTML file: it is mailed or archived and opened years later without this system,
so the styles are inside it, nothing is fetched, and every text is escaped. Cells keep their types
in Excel (numbers are numbers, times are times in the company's zone); choices and yes/no are
written in the reader's language. The file name is in the reader's language too (Chinese by default).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from service.domain import list_query as lq
from service.domain.list_query import Column, Group, ListDefinition, ListResult

from .table_export import XLSX_TYPE, Cell, Download, Table, attachment, to_xlsx

HTML_TYPE = "text/html; charset=utf-8"
Label = Callable[..., str]


def _cell(column: Column, value: Any, lang: str) -> Cell:
    """A value as Excel should hold it."""
    if lq.is_empty(value):
        return None
    if column.kind == "number":
        number = lq.as_number(value)
        return lq.plain_number(number) if number is not None else str(value)
    if column.kind in ("date", "datetime") and isinstance(value, (date, datetime)):
        return value
    return lq.cell_text(column, value, lang)


def _group_words(group: Group, columns: dict[str, Column], lang: str, label: Label) -> str:
    count = label("aslists.group_count", n=group.count)
    return f"{lq.group_label(group, columns, lang)}（{count}）" if lang == "zh" else \
        f"{lq.group_label(group, columns, lang)} ({count})"


def list_table(result: ListResult, title: str, lang: str, label: Label, note: str = "") -> Table:
    """The shown rows with a heading row before each group (its name, count and sums)."""
    every = {c.key: c for c in result.columns}
    columns = {**every, **{g: _column_of(result, g) for g in result.query.group_by}}
    body: list[list[Cell]] = []
    heads: dict[int, int] = {}
    for kind, level, item in lq.lines(result):
        if kind == "group":
            heads[len(body)] = level
            line: list[Cell] = [None] * len(result.columns)
            line[0] = _group_words(item, columns, lang, label)
            for index, column in enumerate(result.columns):
                if column.key in item.sums and index:
                    line[index] = item.sums[column.key]
            body.append(line)
        else:
            body.append([_cell(c, item.get(c.key), lang) for c in result.columns])
    return Table(title=title, headers=[c.header(lang) for c in result.columns], rows=body, note=note,
                 group_rows=heads, depth=len(result.query.group_by))


def _column_of(result: ListResult, key: str) -> Column:
    return next((c for c in result.all_columns if c.key == key), Column(key, key, key))


_STYLE = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif; margin: 24px;
       color: #1f2933; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.meta { color: #52606d; margin: 2px 0; font-size: 13px; }
.wrap { overflow-x: auto; margin-top: 12px; }
table { border-collapse: collapse; font-size: 13px; min-width: 100%; }
th, td { border: 1px solid #cbd2d9; padding: 4px 8px; text-align: left; white-space: nowrap; vertical-align: top; }
thead th { background: #e4e7eb; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.group td { background: #f0f4f8; font-weight: 600; }
tr.group.l2 td { background: #f7f9fb; }
tr.group.l2 td:first-child { padding-left: 24px; }
tr.group.l3 td:first-child { padding-left: 40px; }
tbody tr:not(.group):nth-child(even) td { background: #fafbfc; }
@media print { .wrap { overflow: visible; } thead th { position: static; } }
"""


def to_html(result: ListResult, title: str, lang: str, label: Label, facts: Sequence[str]) -> bytes:
    """A whole HTML document: the title, `facts` (what was asked, how many shown of how many), the table."""
    table = list_table(result, title, lang, label)
    numeric = [c.kind == "number" for c in result.columns]
    out = [f'<!doctype html>\n<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>",
           f"<h1>{escape(title)}</h1>"]
    out += [f'<p class="meta">{escape(fact)}</p>' for fact in facts]
    out.append('<div class="wrap"><table>\n<thead><tr>' + "".join(
        f"<th>{escape(h)}</th>" for h in table.headers) + "</tr></thead>\n<tbody>")
    for index, row in enumerate(table.rows):
        level = table.group_rows.get(index)
        cells = []
        for position, value in enumerate(row):
            text = _html_text(value, result.columns[position], lang)
            cells.append(f'<td class="num">{text}</td>' if numeric[position] and position else f"<td>{text}</td>")
        css = f' class="group l{level}"' if level is not None else ""
        out.append(f"<tr{css}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>\n</body>\n</html>\n")
    return "\n".join(out).encode("utf-8")


def _html_text(value: Cell, column: Column, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return escape(lq.cell_text(column, value, lang))
    if isinstance(value, (date, datetime)):
        return escape(lq.cell_text(column, value, lang))
    return escape(str(value))


def facts(listed: ListDefinition, result: ListResult, lang: str, label: Label, made_at: str, who: str) -> list[str]:
    """What an export says about itself: what was asked, how many of how many, when, by whom."""
    query, columns = result.query, listed.columns
    by_key = {c.key: c for c in columns}
    said = []
    for index, condition in enumerate(query.conditions):
        words = lq.describe(condition, columns, lang)
        said.append(words if not index else f"{condition.join.upper()} {words}")
    out = [label("aslists.facts.count", shown=result.shown, total=result.total),
           label("aslists.facts.conditions", conditions=" ".join(said)) if said
           else label("aslists.facts.no_conditions")]
    if query.group_by:
        out.append(label("aslists.facts.groups", groups=" / ".join(by_key[k].header(lang) for k in query.group_by)))
    sort = query.sort or listed.default_sort
    if sort:
        out.append(label("aslists.facts.sort", sort=", ".join(
            f"{by_key[k.column].header(lang)} {label('aslists.desc' if k.descending else 'aslists.asc')}"
            for k in sort)))
    out.append(label("aslists.facts.made", at=made_at, who=who))
    return out


def list_download(result: ListResult, fmt: str, title: str, file_stem: str, fallback_stem: str, lang: str,
                  label: Label, facts: Sequence[str], tz: ZoneInfo) -> Download:
    """The current result as .xlsx or .html named `<title>-<day>` in the reader's language; the counts
    go along as X-Total-Count (every match) and X-Export-Rows (the rows in the file)."""
    if fmt == "xlsx":
        note = label("aslists.file_note", shown=result.shown, total=result.total)
        body, kind = to_xlsx(list_table(result, title, lang, label, note), tz), XLSX_TYPE
    else:
        body, kind = to_html(result, title, lang, label, facts), HTML_TYPE
    return Download(body, {"Content-Type": kind,
                           "Content-Disposition": attachment(f"{file_stem}.{fmt}", f"{fallback_stem}.{fmt}"),
                           "X-Total-Count": str(result.total), "X-Export-Rows": str(result.shown)})

