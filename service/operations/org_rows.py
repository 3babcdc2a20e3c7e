"""The rows of an organisation workbook as the import reads them, each cell checked on its own.

Why apart from the import: these checks need nothing but the file (a cell's length, its control
characters, an e-mail's shape, a role that does not exist, a user name written twice); the import
then checks the rows against each other and against the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from service.adapters.org_workbook import DEPARTMENT_COLUMNS, PEOPLE_COLUMNS, Cell, Sheet, Unreadable
from service.domain.input_limits import text_problem
from service.domain.messages import DEFAULT_LANGUAGE, Message
from service.domain.organisation import PATH_SEPARATOR
from service.domain.roles import role_for_lane

from .organisation import (
    COMPANY_MAX,
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    MOBILE_MAX,
    USERNAME,
    department_name_problem,
    email_problem,
    mobile_problem,
)

PATH_SPLIT = re.compile(r"\s*[›/>]\s*")
ROLE_SEPARATORS = re.compile(r"[,，、;；\s]+")
MAX_DEPTH = 10
PATH_MAX, ROLES_MAX = 1024, 512
OPTIONAL_PEOPLE_COLUMNS = ("公司",)  # absent: companies stay as they are
OPTIONAL_DEPARTMENT_COLUMNS = ("负责人",)  # absent: leaders stay as they are
UNREADABLE = {"formula": Message("org_import.cell_formula"), "date": Message("org_import.cell_date"),
              "error": Message("org_import.cell_error")}


@dataclass(frozen=True)
class RowProblem:
    sheet: str  # "" for the file as a whole
    row: int  # as Excel numbers it; 0 for the sheet or the file as a whole
    column: str  # the column header
    message: Message

    @property
    def where(self) -> str:
        return f"{self.sheet}:{self.row}:{self.column}"

    def line(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """`sheet:row:column: message` in `lang`; only the message for the file as a whole."""
        said = self.message.render(lang)
        return f"{self.where}: {said}" if self.sheet else said

    def as_json(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, **self.message.as_json(),
                "message": self.message.render(lang)}

    def __str__(self) -> str:
        return self.line()


@dataclass
class RowChecker:
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, sheet: str, row: int, column: str, message: Message) -> None:
        self.problems.append(RowProblem(sheet, row, column, message))

    def text(self, sheet: str, row: int, column: str, value: Cell, *, max_length: int,
             required: bool = False) -> str | None:
        """The cell's text, stripped; None (and a problem where it is one) when empty or unusable."""
        if isinstance(value, Unreadable):
            self.add(sheet, row, column, UNREADABLE.get(value.what, Message("org_import.cell_not_text")))
            return None
        text = (value or "").strip()
        problem = text_problem(text, max_length=max_length, single_line=True)
        if problem:
            self.add(sheet, row, column, problem)
            return None
        if not text and required:
            self.add(sheet, row, column, Message("org_import.required"))
        return text or None


@dataclass(frozen=True)
class DepartmentRow:
    row: int
    parts: tuple[str, ...]
    leader: str | None
    leader_given: bool  # the sheet has a 负责人 column

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join(self.parts)

    @property
    def name(self) -> str:
        return self.parts[-1]

    @property
    def parent(self) -> str | None:
        return PATH_SEPARATOR.join(self.parts[:-1]) or None

    @property
    def depth(self) -> int:
        return len(self.parts)


@dataclass(frozen=True)
class PersonRow:
    row: int
    username: str
    display_name: str
    email: str
    mobile: str | None
    department: str | None  # the path, written with " › "
    superior: str | None
    roles: tuple[str, ...]
    company: str | None
    company_given: bool  # the sheet has a 公司 column


def split_path(text: str) -> tuple[list[str], Message | None]:
    """The levels of a department path ("华东区 › 销售一组", "华东区/销售一组") and why it is unusable."""
    parts = PATH_SPLIT.split(text.strip())
    if len(parts) > MAX_DEPTH:
        return parts, Message("org_import.path_too_deep", {"max": MAX_DEPTH})
    for part in parts:
        problem = department_name_problem(part)
        if problem:
            return parts, (Message("org_import.path_level", {"part": part, "problem": problem}) if part
                           else Message("org_import.path_empty_level"))
    return parts, None


def parse_roles(text: str) -> tuple[list[str], list[str]]:
    """Role ids (a Chinese role name counts too) and the names that are no role."""
    found: list[str] = []
    unknown: list[str] = []
    for name in filter(None, ROLE_SEPARATORS.split(text)):
        role = role_for_lane(name)
        (found if role else unknown).append(role or name)
    return sorted(set(found)), unknown


def _columns(sheet: Sheet, expected: tuple[str, ...], optional: tuple[str, ...],
             checker: RowChecker) -> tuple[dict[str, int] | None, list[str]]:
    """Where each expected column is, the headers that are ignored; None if a needed one is missing."""
    where: dict[str, int] = {}
    for index, name in enumerate(sheet.header):
        if name in where:
            checker.add(sheet.name, 1, name, Message("org_import.column_twice", {"column": name}))
        elif name:
            where[name] = index
    missing = [c for c in expected if c not in where and c not in optional]
    for name in missing:
        checker.add(sheet.name, 1, name, Message("org_import.column_missing", {"column": name}))
    ignored = [name for name in where if name not in expected]
    return (None if missing else where), ignored


def _cell_text(checker: RowChecker, sheet_name: str, where: dict[str, int], number: int, cells: list[Cell],
               column: str, max_length: int, required: bool = False) -> str | None:
    """One cell of a row as checked text (a column the sheet lacks reads as empty)."""
    value = cells[where[column]] if column in where else None
    return checker.text(sheet_name, number, column, value, max_length=max_length, required=required)


def department_rows(sheet: Sheet | None, checker: RowChecker) -> list[DepartmentRow]:
    if sheet is None:
        return []
    where, _ignored = _columns(sheet, DEPARTMENT_COLUMNS, OPTIONAL_DEPARTMENT_COLUMNS, checker)
    if where is None:
        return []
    found: dict[str, int] = {}
    rows = []
    for number, cells in sheet.rows:
        cell = partial(_cell_text, checker, sheet.name, where, number, cells)

        text = cell("部门路径", PATH_MAX, required=True)
        leader = cell("负责人", 64)
        if not text:
            continue
        parts, problem = split_path(text)
        path = PATH_SEPARATOR.join(parts)
        if problem:
            checker.add(sheet.name, number, "部门路径", problem)
        elif path in found:
            checker.add(sheet.name, number, "部门路径",
                        Message("org_import.department_twice", {"path": path, "row": found[path]}))
        else:
            found[path] = number
            rows.append(DepartmentRow(number, tuple(parts), leader, "负责人" in where))
    return rows


def people_rows(sheet: Sheet, checker: RowChecker) -> tuple[list[PersonRow], list[str]]:
    """The people of the sheet, and the headers it has that the import ignores."""
    where, ignored = _columns(sheet, PEOPLE_COLUMNS, OPTIONAL_PEOPLE_COLUMNS, checker)
    if where is None:
        return [], ignored
    seen: dict[str, int] = {}
    rows = []
    for number, cells in sheet.rows:
        cell = partial(_cell_text, checker, sheet.name, where, number, cells)

        def refuse(column: str, problem: Message | None, number: int = number) -> None:
            if problem:
                checker.add(sheet.name, number, column, problem)

        username = cell("用户名", 64, required=True)
        display_name, email = cell("姓名", DISPLAY_NAME_MAX, required=True), cell("邮箱", EMAIL_MAX, required=True)
        mobile, department_text = cell("手机", MOBILE_MAX), cell("部门路径", PATH_MAX)
        superior, roles_text, company = cell("上级", 64), cell("角色", ROLES_MAX), cell("公司", COMPANY_MAX)
        refuse("邮箱", email_problem(email) if email else None)
        refuse("手机", mobile_problem(mobile) if mobile else None)
        parts, path_problem = split_path(department_text) if department_text else ([], None)
        refuse("部门路径", path_problem)
        roles, unknown = parse_roles(roles_text or "")
        refuse("角色", Message("org_import.unknown_roles", {"roles": ", ".join(unknown)}) if unknown else None)
        if not username:
            continue
        refuse("用户名", None if USERNAME.match(username) else
               Message("org_import.username_format", {"username": username}))
        refuse("上级", Message("org_import.own_superior") if superior == username else None)
        if username in seen:
            refuse("用户名", Message("org_import.username_twice", {"username": username, "row": seen[username]}))
            continue
        seen[username] = number
        rows.append(PersonRow(number, username, display_name or "", email or "", mobile,
                              PATH_SEPARATOR.join(parts) or None, superior if superior != username else None,
                              tuple(roles), company, "公司" in where))
    return rows, ignored
