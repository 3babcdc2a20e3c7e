"""Sales contracts as an .xlsx workbook (openpyxl): one row per product, the contract's columns repeated.

Why the headers are matched loosely: the desk's own spreadsheets say 合同编号 or "Contract no." or
contract_no; any of them names the same column, and a column the import does not know is left out
(and said so) rather than refused. Cells keep what they are: a date cell stays a date, a number
becomes its digits, a formula or an error value is `Unreadable`, so the import can name the cell.
The container is checked as for the organisation workbook (size, zip bombs, XML entities) before
openpyxl reads anything.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from service.domain.messages import Message

from .org_workbook import (
    EXCEL_ROW_LIMIT,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    WorkbookRefused,
    guarded_workbook,  # the same checks of a hostile file
)

__all__ = ["MAX_FILE_BYTES", "WorkbookRefused", "read_contracts", "write_contracts"]

CONTRACTS_SHEET, NOTES_SHEET = "合同", "说明"
MAX_ROWS = 20_000
# (field, Chinese header, English headers accepted)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("contract_no", "合同编号", ("contract no.", "contract no", "contract number", "contract")),
    ("project", "项目", ("project",)),
    ("customer", "客户", ("customer", "company")),
    ("address", "地址", ("address",)),
    ("contact", "联系人", ("contact",)),
    ("signed_on", "签订日期", ("signed on", "signed", "signing date")),
    ("service_until", "服务截止", ("service until", "service end", "service period end")),
    ("warranty_extension_years", "延保年数", ("warranty extension years", "warranty extension", "extension years")),
    ("visit_plan", "回访计划", ("visit plan",)),
    ("serial_no", "序列号", ("serial no.", "serial no", "serial number", "serial")),
    ("model", "型号", ("model",)),
    ("name", "产品名称", ("product name", "product", "name")),
    ("kind", "类别", ("kind", "category", "类别 整机/配件", "类别(整机/配件)")),
    ("first_use_on", "首次使用日期", ("first use on", "first use", "first used", "first use date")),
    ("ex_factory_on", "出厂日期", ("ex-factory on", "ex factory on", "ex-factory", "ex factory", "ex-factory date")),
)
HEADERS = {name: zh for name, zh, _ in COLUMNS}
DATE_FIELDS = ("signed_on", "service_until", "first_use_on", "ex_factory_on")
WIDTHS = {"contract_no": 16, "project": 26, "customer": 14, "address": 34, "contact": 22, "signed_on": 12,
          "service_until": 12, "warranty_extension_years": 10, "visit_plan": 18, "serial_no": 20, "model": 16,
          "name": 22, "kind": 10, "first_use_on": 14, "ex_factory_on": 12}


def _key(header: str) -> str:
    return re.sub(r"[\s_.\-:：()（）/]", "", header.casefold())


_BY_HEADER = {_key(alias): name for name, zh, english in COLUMNS for alias in (zh, name, *english)}


@dataclass(frozen=True)
class Unreadable:
    """A cell that holds no usable value: `what` is formula, error or the type's name."""

    what: str


Cell = str | date | Unreadable | None


@dataclass
class ContractSheet:
    name: str
    columns: dict[str, str] = field(default_factory=dict)  # field → the header as the file writes it
    ignored: list[str] = field(default_factory=list)  # headers the import does not know
    twice: list[str] = field(default_factory=list)  # headers naming a column already named
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)  # (Excel row number, field → cell)


def field_of(header: str) -> str | None:
    """The field a header names (合同编号, "Contract no.", contract_no …), or None."""
    return _BY_HEADER.get(_key(header))


def read_contracts(content: bytes) -> ContractSheet | None:
    """The sheet 合同 (else "Contracts", else the first sheet); None for a workbook without sheets."""
    with guarded_workbook(content) as book:
        names = book.sheetnames
        if not names:
            return None
        chosen = next((n for n in names if n.strip().casefold() in (CONTRACTS_SHEET, "contracts")), names[0])
        return _read_sheet(book[chosen])


def _cell(cell: Any) -> Cell:
    value = cell.value
    if value is None or value == "":
        return None
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (isinstance(value, str) and value.startswith("=") and kind != "s"):
        return Unreadable("formula")
    if kind == "e":
        return Unreadable("error")
    if isinstance(value, bool):
        return Unreadable("boolean")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return value
    return Unreadable(type(value).__name__)


def _read_sheet(sheet: Any) -> ContractSheet:
    found = ContractSheet(sheet.title)
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())
    header = [value if isinstance(value, str) else "" for value in (_cell(c) for c in header_cells)]
    places: dict[int, str] = {}
    for index, text in enumerate(header):
        text = text.strip()
        if not text:
            continue
        name = field_of(text)
        if name is None:
            found.ignored.append(text)
        elif name in found.columns:
            found.twice.append(text)
        else:
            found.columns[name] = text
            places[index] = name
    if not places:
        return found
    width = max(places) + 1
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2):
        if number > EXCEL_ROW_LIMIT:
            raise WorkbookRefused(Message("org_import.row_beyond_limit", {"sheet": sheet.title}))
        values = {name: _cell(cells[index]) if index < len(cells) else None for index, name in places.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        found.rows.append((number, values))
        if len(found.rows) > MAX_ROWS:
            raise WorkbookRefused(Message("org_import.too_many_rows", {"sheet": sheet.title, "max": f"{MAX_ROWS:,}"}))
    return found


# --- writing ---------------------------------------------------------------------------------------


def write_contracts(rows: Iterable[dict[str, Any]], notes: Iterable[Sequence[str]] = ()) -> bytes:
    """One row per product (field → value; dates as `date`), Chinese headers, and a sheet of notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = CONTRACTS_SHEET
    fields = [name for name, _, _ in COLUMNS]
    for index, name in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index, value=HEADERS[name])
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 16)
    for row_number, row in enumerate(rows, start=2):
        for index, name in enumerate(fields, start=1):
            value = row.get(name)
            cell = sheet.cell(row=row_number, column=index)
            if isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            elif value:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
                cell.data_type = "s"  # text stays text: "=…" is never a formula, "0012" never a number
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    notes = list(notes)
    if notes:
        extra = book.create_sheet(NOTES_SHEET)
        for row_number, (item, said) in enumerate(notes, start=1):
            extra.cell(row=row_number, column=1, value=item).font = Font(bold=row_number == 1)
            extra.cell(row=row_number, column=2, value=said)
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 22, 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
