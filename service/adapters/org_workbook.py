"""The organisation as an .xlsx workbook (openpyxl): sheets 人员 and 部门, read and written.

Why the checks before openpyxl opens anything: an uploaded workbook is a zip of XML written by
whoever sent it. A small file can unpack to gigabytes, declare XML entities that expand without
end, or claim a row number in the billions; each is refused here with a message, before it can
cost memory or time. Cells come back as text (numbers typed into 手机 included) or as `Unreadable`
(a formula, a date, an error value), so the importer can name the cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from service.domain.messages import Message

PEOPLE_SHEET, DEPARTMENTS_SHEET, NOTES_SHEET = "人员", "部门", "说明"
PEOPLE_COLUMNS = ("用户名", "姓名", "邮箱", "手机", "部门路径", "上级", "角色", "公司")
DEPARTMENT_COLUMNS = ("部门路径", "负责人")
WIDTHS = {"用户名": 18, "姓名": 14, "邮箱": 32, "手机": 16, "部门路径": 30, "上级": 18, "角色": 34, "公司": 18,
          "负责人": 18}  # in characters; a Chinese character is about two of them
TEXT_COLUMNS = ("手机",)  # typed numbers would lose leading zeros and "+86"

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 200
MAX_ROWS = 10_000  # data rows of one sheet
MAX_COLUMNS = 64
EXCEL_ROW_LIMIT = 1_048_576
XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")  # a workbook never needs them; entity bombs do
OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the .xls (OLE2) signature


class WorkbookRefused(ValueError):
    """The file is not a workbook this import reads; `message` says why (rendered by its reader)."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.code)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Unreadable:
    """A cell that holds no plain text: `what` says what it holds."""

    what: str


Cell = str | Unreadable | None


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as Excel shows it, cells in header order)


# --- reading ---------------------------------------------------------------------------------------


def read_workbook(content: bytes, wanted: Sequence[str] = (PEOPLE_SHEET, DEPARTMENTS_SHEET)) -> dict[str, Sheet]:
    """The wanted sheets that the workbook has, by name."""
    with guarded_workbook(content) as book:
        return {name: _read_sheet(book[name]) for name in wanted if name in book.sheetnames}


@contextmanager
def guarded_workbook(content: bytes) -> Iterator[Any]:
    """The workbook of a checked container (size, zip bomb, entities), read only; whatever fails inside the
    reader — on opening or while the caller reads its sheets — is WorkbookRefused ("unreadable")."""
    _check_container(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001  (hostile input: any failure of the reader means "unreadable")
        raise WorkbookRefused(Message("org_import.unreadable", {"reason": type(exc).__name__})) from exc
    try:
        yield book
    except WorkbookRefused:
        raise
    except Exception as exc:  # noqa: BLE001
        raise WorkbookRefused(Message("org_import.unreadable", {"reason": type(exc).__name__})) from exc
    finally:
        book.close()


def _check_container(content: bytes) -> None:
    if len(content) > MAX_FILE_BYTES:
        raise WorkbookRefused(Message("org_import.file_too_large", {"size": f"{len(content):,}",
                                                                    "max": f"{MAX_FILE_BYTES:,}"}))
    if content.startswith(OLD_EXCEL):
        raise WorkbookRefused(Message("org_import.old_format"))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise WorkbookRefused(Message("org_import.not_xlsx"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkbookRefused(Message("org_import.too_many_members",
                                              {"count": len(members), "max": MAX_MEMBERS}))
            if "xl/workbook.xml" not in archive.namelist():
                raise WorkbookRefused(Message("org_import.no_workbook"))
            unpacked = 0
            for member in members:
                unpacked = _scan_member(archive, member, unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise WorkbookRefused(Message("org_import.damaged", {"reason": str(exc)})) from exc


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, unpacked: int) -> int:
    """Unpack one member, counting what it really holds (the sizes in the directory may lie)."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1024 * 1024):
            unpacked += len(chunk)
            if unpacked > MAX_UNPACKED_BYTES:
                raise WorkbookRefused(Message("org_import.unpacked_too_large",
                                              {"max": MAX_UNPACKED_BYTES // 1024 // 1024}))
            window = (tail + chunk).upper()
            if member.filename.endswith((".xml", ".rels")) and any(d in window for d in XML_DECLARATIONS):
                raise WorkbookRefused(Message("org_import.entities", {"member": member.filename}))
            tail = chunk[-16:]
    return unpacked


def _text(cell: Any) -> Cell:
    value = cell.value
    if value is None or value == "":
        return None
    if getattr(cell, "data_type", None) == "f":
        return Unreadable("formula")
    if isinstance(value, bool):
        return Unreadable("boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime | date | time | timedelta):
        return Unreadable("date")
    if isinstance(value, str):
        return Unreadable("error") if getattr(cell, "data_type", None) == "e" else value
    return Unreadable(type(value).__name__)


def _read_sheet(sheet: Any) -> Sheet:
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())
    header = [str(v).strip() if isinstance(v, str) else "" for v in (_text(c) for c in header_cells)]
    while header and not header[-1]:
        header.pop()
    rows: list[tuple[int, list[Cell]]] = []
    if not header:
        return Sheet(sheet.title, [], rows)
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(header)), start=2):
        if number > EXCEL_ROW_LIMIT:
            raise WorkbookRefused(Message("org_import.row_beyond_limit", {"sheet": sheet.title}))
        values = [_text(c) for c in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, values + [None] * (len(header) - len(values))))
        if len(rows) > MAX_ROWS:
            raise WorkbookRefused(Message("org_import.too_many_rows", {"sheet": sheet.title, "max": f"{MAX_ROWS:,}"}))
    return Sheet(sheet.title, header, rows)


# --- writing ---------------------------------------------------------------------------------------


def write_workbook(people: Iterable[Sequence[str | None]], departments: Iterable[Sequence[str | None]],
                   notes: Iterable[Sequence[str]] = ()) -> bytes:
    """People (PEOPLE_COLUMNS), departments (DEPARTMENT_COLUMNS) and an optional sheet of notes."""
    book = Workbook()
    _fill(book.active, PEOPLE_SHEET, PEOPLE_COLUMNS, people)
    _fill(book.create_sheet(), DEPARTMENTS_SHEET, DEPARTMENT_COLUMNS, departments)
    notes = list(notes)
    if notes:
        _fill(book.create_sheet(), NOTES_SHEET, ("项目", "说明"), notes, widths=(24, 80))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, title: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]],
          widths: Sequence[int] = ()) -> None:
    sheet.title = title
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        width = widths[index - 1] if widths else WIDTHS.get(name, 16)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=index)
            if value:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text stays text: "=…" is never a formula, "138…" never a number
            if columns[index - 1] in TEXT_COLUMNS:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
