"""Tables as downloads: .xlsx (openpyxl) and CSV that Excel opens with Chinese intact, under a Chinese
file name.

Why the details: Excel reads a CSV without a byte-order mark as the local code page and garbles
Chinese; dates must be real dates (local time, Asia/Shanghai) so they sort and filter in Excel;
text that starts like a formula (`=`, `+`, `-`, `@`) stays text, so an export never runs what a
customer typed into a field.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from service.domain.roles import role_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
_FORMULA_START = ("=", "+", "-", "@")
_WIDEST_COLUMN = 60
Cell = str | int | float | bool | datetime | date | None


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""  # shown under the rows, e.g. that the export was cut short
    # rows that head a group (index in `rows` -> depth, 1 = outermost): bold, and the rows below them
    # outlined so Excel folds each group; {} = a plain table
    group_rows: dict[int, int] = field(default_factory=dict)
    depth: int = 0  # how deep the groups nest (the data rows' outline level)


def _local(value: Cell, tz: ZoneInfo) -> Cell:
    """Aware datetimes as the wall-clock time in `tz` (Excel has no time zones)."""
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None, microsecond=0)
    return value


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or a spreadsheet: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_xlsx(table: Table, tz: ZoneInfo) -> bytes:
    from openpyxl import Workbook  # imported when a workbook is written: the command line starts without it
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31] or "Sheet1"
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [display_width(h) for h in table.headers]
    for row in table.rows:
        sheet.append([_local(v, tz) for v in row])
        for column, value in enumerate(row):
            widths[column] = max(widths[column], 16 if isinstance(value, datetime) else display_width(str(value or "")))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text that looks like a formula stays text
    _outline(sheet, table)
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, _WIDEST_COLUMN)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _outline(sheet: Any, table: Table) -> None:
    """Group headings bold, and every row outlined under its heading (summaries above the details)."""
    if not table.group_rows:
        return
    from openpyxl.styles import Font

    sheet.sheet_properties.outlinePr.summaryBelow = False
    for index in range(len(table.rows)):
        level = table.group_rows.get(index)
        if level is not None:
            for cell in sheet[index + 2]:
                cell.font = Font(bold=True)
        outline = level - 1 if level is not None else table.depth
        if outline:
            sheet.row_dimensions[index + 2].outline_level = min(outline, 7)


def _csv_cell(value: Cell, tz: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(table: Table, tz: ZoneInfo) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(v, tz) for v in row] for row in table.rows)
    if table.note:
        writer.writerows([[], [table.note]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition for a download named in any language (RFC 6266): `filename*` (RFC 5987)
    carries the real name, `filename` an ASCII one for clients that know no better."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback) or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def case_table(rows: Sequence[dict[str, Any]], label: Callable[..., str], lang: str, note: str = "") -> Table:
    """The rows of a case search (operations.case_search) as a table; `label` gives the words of `lang`."""
    def holder(task: dict[str, Any]) -> str:
        return str(task["assignee_name"] or task["assignee"]) if task["assignee"] else role_label(task["role"], lang)

    columns = ("id", "process", "version", "business_key", "customer", "status", "started_by", "started_at",
               "updated_at", "tasks", "holders", "due_at", "overdue")
    body: list[list[Cell]] = [[
        r["id"], r["process_name"], r["version"], r["business_key"], r["customer"] or "",
        label(f"status.{r['status']}"), r["started_by_name"], _moment(r["started_at"]), _moment(r["updated_at"]),
        "；".join(t["name"] for t in r["current_tasks"]), "；".join(holder(t) for t in r["current_tasks"]),
        _moment(r["due_at"]), label("yes") if r["overdue"] else label("no")] for r in rows]
    return Table(title=label("cases.sheet"), headers=[label(f"cases.col.{c}") for c in columns], rows=body,
                 note=note)


@dataclass(frozen=True)
class Download:
    body: bytes
    headers: dict[str, str]


def case_download(result: dict[str, Any], fmt: str, label: Callable[..., str], lang: str, tz: ZoneInfo,
                  day: date) -> Download:
    """A case search exported whole (`export=True`): the file, its type, a file name in `lang`, and
    how many of the cases it holds (X-Total-Count, X-Export-Rows), said in the file too when cut short."""
    rows = result["rows"]
    note = label("cases.capped_note", total=result["total"], n=len(rows)) if result["capped"] else ""
    table = case_table(rows, label, lang, note)
    body, kind = (to_xlsx(table, tz), XLSX_TYPE) if fmt == "xlsx" else (to_csv(table, tz), CSV_TYPE)
    name = f"{label('cases.file')}-{day:%Y%m%d}.{fmt}"
    return Download(body, {"Content-Type": kind, "Content-Disposition": attachment(name, f"cases-{day:%Y%m%d}.{fmt}"),
                           "X-Total-Count": str(result["total"]), "X-Export-Rows": str(len(rows))})
