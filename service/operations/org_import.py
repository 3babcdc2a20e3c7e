"""The whole organisation as one workbook: export it, edit it in Excel, import it back.

Why all or nothing: half an organisation has superiors pointing at people not yet created and
departments without their leaders, and the mails of every running case would follow it. So every
row is checked against the file and the database first, and every problem is reported at once as
(sheet, row, column, message); only a file without problems is written, in one transaction.
People who are not in the file are left as they are. New people get no usable password: an
administrator sets one on the user page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.adapters.org_workbook import (
    DEPARTMENTS_SHEET,
    PEOPLE_COLUMNS,
    PEOPLE_SHEET,
    WorkbookRefused,
    read_workbook,
    write_workbook,
)
from service.domain.messages import Message
from service.domain.roles import ROLES, role_label
from service.persistence.audit import append_event
from service.persistence.models import Department, User, UserRole

from .context import AppContext
from .directory import department_paths
from .errors import ValidationFailed
from .org_rows import DepartmentRow, PersonRow, RowChecker, RowProblem, department_rows, people_rows
from .org_views import organisation_tree
from .organisation import CHANGED, cycle_text, superior_cycle

__all__ = ["ImportRejected", "ImportReport", "RowProblem", "export_workbook", "import_organisation"]
MAX_PROBLEMS = 1000


class ImportRejected(ValidationFailed):
    """Nothing was changed; `problems` says where and why, row by row (errors: "sheet:row:column")."""

    def __init__(self, problems: list[RowProblem]):
        problems = sorted(problems, key=lambda p: (p.sheet != DEPARTMENTS_SHEET, p.sheet, p.row))
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(RowProblem("", 0, "", Message("org_import.more",
                                                               {"count": len(problems) - MAX_PROBLEMS})))
        errors: dict[str, Message] = {}
        for problem in self.problems:
            key = problem.where
            errors[key] = Message("org_import.and", {"first": errors[key], "then": problem.message}) \
                if key in errors else problem.message
        super().__init__("organisation.import_refused", errors, count=len(problems))


@dataclass
class ImportReport:
    departments_created: list[str] = field(default_factory=list)
    leaders_changed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # new people: they have no password yet
    updated: dict[str, list[str]] = field(default_factory=dict)  # username -> the columns that changed
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # active people the file does not name: unchanged
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.departments_created or self.leaders_changed or self.created or self.updated)


# --- import ----------------------------------------------------------------------------------------


def import_organisation(ctx: AppContext, content: bytes, *, actor: str) -> ImportReport:
    """Check every row, then write all of it in one transaction, or raise ImportRejected."""
    try:
        sheets = read_workbook(content)
    except WorkbookRefused as exc:
        raise ImportRejected([RowProblem("", 0, "", exc.message)]) from exc
    if PEOPLE_SHEET not in sheets:
        raise ImportRejected([RowProblem(PEOPLE_SHEET, 0, "", Message("org_import.no_sheet", {"sheet": PEOPLE_SHEET}))])
    checker = RowChecker()
    departments = department_rows(sheets.get(DEPARTMENTS_SHEET), checker)
    people, ignored = people_rows(sheets[PEOPLE_SHEET], checker)
    report = ImportReport(ignored_columns=ignored)
    with ctx.db.transaction() as session:
        state = _State(session)
        _check_departments(state, departments, people, checker)
        _check_people(state, departments, people, checker)
        if checker.problems:
            raise ImportRejected(checker.problems)
        _write_departments(session, state, departments, report)
        _write_people(session, ctx, state, people, report)
        report.not_in_file = sorted(u for u, user in state.users.items()
                                    if user.active and u not in {p.username for p in people})
        if report.changed:
            append_event(session, type=CHANGED, actor=actor, at=ctx.now(), payload={
                "change": "imported", "departments_created": report.departments_created,
                "leaders_changed": report.leaders_changed, "people_created": report.created,
                "people_updated": report.updated})
        for username in report.created:
            append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                         payload={"username": username, "created": True, "source": "import"})
        for username, columns in report.updated.items():
            append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                         payload={"username": username, "changes": columns, "source": "import"})
    return report


class _State:
    """What the database holds now, read inside the import's own transaction."""

    def __init__(self, session: Session) -> None:
        self.users = {u.username: u for u in session.execute(select(User)).scalars()}
        self.ids = {path: department_id for department_id, path in department_paths(session).items()}
        self.departments = {d.id: d for d in session.execute(select(Department)).scalars()}

    def leader_of(self, path: str) -> str | None:
        department = self.departments.get(self.ids.get(path, 0))
        return department.leader if department else None

    def may_name(self, username: str, in_file: set[str], current: str | None) -> Message | None:
        """Why `username` cannot be named as a superior or leader here, or None."""
        if username in in_file or username == current:
            return None
        user = self.users.get(username)
        if user is None:
            return Message("org_import.user_nowhere", {"username": username})
        return None if user.active else Message("org_import.user_inactive", {"username": username})


def _check_departments(state: _State, departments: list[DepartmentRow], people: list[PersonRow],
                       checker: RowChecker) -> None:
    in_file = {p.username for p in people}
    paths = {d.path for d in departments}
    for d in departments:
        parent = d.parent
        if parent and parent not in paths and parent not in state.ids:
            checker.add(DEPARTMENTS_SHEET, d.row, "部门路径", Message("org_import.parent_unknown", {"parent": parent}))
        if d.leader and d.leader_given:
            problem = state.may_name(d.leader, in_file, state.leader_of(d.path))
            if problem:
                checker.add(DEPARTMENTS_SHEET, d.row, "负责人", problem)


def _check_people(state: _State, departments: list[DepartmentRow], people: list[PersonRow],
                  checker: RowChecker) -> None:
    in_file = {p.username for p in people}
    paths = {d.path for d in departments} | set(state.ids)
    for p in people:
        if p.department and p.department not in paths:
            checker.add(PEOPLE_SHEET, p.row, "部门路径", Message("org_import.department_unknown",
                                                                 {"path": p.department}))
        if p.superior:
            known = state.users.get(p.username)
            problem = state.may_name(p.superior, in_file, known.superior if known else None)
            if problem:
                checker.add(PEOPLE_SHEET, p.row, "上级", problem)
    superiors = {u: user.superior for u, user in state.users.items()}
    superiors.update({p.username: p.superior for p in people})
    rows = {p.username: p.row for p in people}
    for p in people:
        line = superior_cycle(superiors, p.username, p.superior) if p.superior else None
        if line:
            checker.add(PEOPLE_SHEET, p.row, "上级", cycle_text(line, rows))


def _write_departments(session: Session, state: _State, departments: list[DepartmentRow],
                       report: ImportReport) -> None:
    for d in sorted(departments, key=lambda d: d.depth):
        department = state.departments.get(state.ids.get(d.path, 0))
        if department is None:
            parent_id = state.ids.get(d.parent) if d.parent else None
            last = session.execute(select(func.max(Department.position)).where(
                Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id)).scalar()
            department = Department(name=d.name, parent_id=parent_id, leader=d.leader, position=(last or 0) + 1)
            session.add(department)
            session.flush()
            state.ids[d.path], state.departments[department.id] = department.id, department
            report.departments_created.append(d.path)
        elif d.leader_given and department.leader != d.leader:
            department.leader = d.leader
            report.leaders_changed.append(d.path)


def _write_people(session: Session, ctx: AppContext, state: _State, people: list[PersonRow],
                  report: ImportReport) -> None:
    no_password = ""
    for p in people:
        user = state.users.get(p.username)
        if user is None:
            # one hash of a secret nobody keeps, for all of them: sign-in fails, and takes as long as ever
            no_password = no_password or PasswordHasher().hash(secrets.token_hex(32))
            user = User(username=p.username, display_name=p.display_name, email=p.email, active=True,
                        password_hash=no_password, created_at=ctx.now())
            session.add(user)
            report.created.append(p.username)
            _apply(user, p, state)
            continue
        changes = _apply(user, p, state)
        if changes:
            report.updated[p.username] = changes
        else:
            report.unchanged.append(p.username)
    session.flush()


def _apply(user: User, p: PersonRow, state: _State) -> list[str]:
    """Set the row's values on the user; the columns whose value changed."""
    values: dict[str, Any] = {"姓名": ("display_name", p.display_name), "邮箱": ("email", p.email),
                              "手机": ("mobile", p.mobile), "上级": ("superior", p.superior),
                              "部门路径": ("department_id", state.ids.get(p.department or ""))}
    if p.company_given:
        values["公司"] = ("company", p.company)
    changed = [column for column, (attribute, value) in values.items() if getattr(user, attribute, None) != value]
    for attribute, value in values.values():
        setattr(user, attribute, value)
    if user.id is None or set(p.roles) != user.role_ids:
        user.roles = [UserRole(role=r) for r in p.roles]
        changed.append("角色")
    return changed


# --- export ----------------------------------------------------------------------------------------


def export_workbook(ctx: AppContext) -> bytes:
    """Every department with its leader and every active person: importing it back changes nothing."""
    tree = organisation_tree(ctx)
    placed = [m for node in tree["flat"] for m in node["members"]]
    people = [[p["username"], p["display_name"], p["email"], p["mobile"], p["department"], p["superior"],
               ", ".join(p["roles"]), p["company"]] for p in placed + tree["customers"] + tree["unplaced"]]
    departments = [[node["path"], node["leader"]] for node in tree["flat"]]
    notes = [["列", "、".join(PEOPLE_COLUMNS)],
             ["部门路径", "各级部门用 › 分隔（也可用 / 或 >），例如：华东区 › 销售一组"],
             ["角色", "角色代码，用逗号分隔，例如：sales, admin"],
             ["新用户", "导入的新用户没有密码：请管理员在用户管理中设置"],
             ["未列出的用户", "文件中没有的用户保持不变"]]
    notes += [[role, role_label(role)] for role in ROLES]
    return write_workbook(people, departments, notes)
