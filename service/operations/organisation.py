"""The organisation (组织架构) as administrators change it; `org_views` is how it is read.

Why each change is checked against the whole organisation in its own transaction: relative
recipients and supervision walk the line of superiors at every step, so a cycle, a superior who
left or a department filed under itself would silently send work to nobody (or everybody). Each
change writes its audit event (system chain) in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.input_limits import text_problem
from service.persistence.audit import append_event
from service.persistence.models import Department, User

from .context import AppContext
from .directory import department_paths
from .errors import NotFound, ValidationFailed

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MOBILE = re.compile(r"^\+?[0-9][0-9 -]{2,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, MOBILE_MAX, COMPANY_MAX = 64, 128, 256, 32, 128
SEPARATOR_CHARACTERS = ("›", "/", ">")  # a path in a cell may use any of them, so no name may hold one
CHANGED = "organisation_changed"


# --- rules shared by the page forms and the import ------------------------------------------------


def department_name_problem(name: str) -> str | None:
    if not name:
        return "部门名称不能为空 (a department needs a name)"
    problem = text_problem(name, max_length=NAME_MAX, single_line=True)
    if problem:
        return problem
    if any(ch in name for ch in SEPARATOR_CHARACTERS):
        return f"部门名称不能含有 {' '.join(SEPARATOR_CHARACTERS)} (a department name may not contain " \
               f"{' '.join(SEPARATOR_CHARACTERS)}: they separate the levels of a path)"
    return None


def mobile_problem(mobile: str) -> str | None:
    problem = text_problem(mobile, max_length=MOBILE_MAX, single_line=True)
    if problem or MOBILE.match(mobile):
        return problem
    return f"手机号「{mobile}」格式不对 (mobile '{mobile}': digits, spaces, '-' and a leading '+' only)"


def email_problem(email: str) -> str | None:
    problem = text_problem(email, max_length=EMAIL_MAX, single_line=True)
    if problem or EMAIL.match(email):
        return problem
    return f"邮箱「{email}」格式不对 (e-mail '{email}' is not an address like name@example.com)"


def superior_cycle(superiors: Mapping[str, str | None], username: str, superior: str | None) -> list[str] | None:
    """The loop that giving `username` this superior would close (username → … → username), or None."""
    line, seen, current = [username], {username}, superior
    while current:
        line.append(current)
        if current == username:
            return line
        if current in seen:  # a loop further up that does not pass through username
            return None
        seen.add(current)
        current = superiors.get(current)
    return None


def cycle_text(line: list[str], rows: Mapping[str, int] | None = None) -> str:
    """The loop in words; with `rows`, each person written with the row of the file that names them."""
    rows = rows or {}
    zh = " → ".join(f"{u}（第 {rows[u]} 行）" if u in rows else u for u in line)
    en = " → ".join(f"{u} (row {rows[u]})" if u in rows else u for u in line)
    return f"上级关系成环：{zh} (superiors form a cycle: {en})"


# --- departments -----------------------------------------------------------------------------------


def _department(session: Session, department_id: int) -> Department:
    found = session.get(Department, department_id)
    if found is None:
        raise NotFound(f"没有这个部门 #{department_id} (no such department #{department_id})")
    return found


def _parent(session: Session, parent_id: int | None) -> Department | None:
    if parent_id is None:
        return None
    found = session.get(Department, parent_id)
    if found is None:
        raise ValidationFailed("unknown department", {"parent": f"没有这个上级部门 #{parent_id} "
                                                                f"(no such parent department #{parent_id})"})
    return found


def _check_sibling_name(session: Session, name: str, parent_id: int | None, own_id: int | None = None) -> None:
    problem = department_name_problem(name)
    if problem is None:
        clash = session.execute(select(Department.id).where(
            Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id,
            Department.name == name, Department.id != (own_id or 0))).first()
        problem = None if clash is None else f"同一上级下已有部门「{name}」(a department '{name}' is already there)"
    if problem:
        raise ValidationFailed("department refused", {"name": problem})


def _active_user(session: Session, username: str, field: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        zh, en = ("不存在", "does not exist") if user is None else ("已停用", "is inactive")
        raise ValidationFailed(f"unknown {field}", {field: f"用户「{username}」{zh} (user '{username}' {en})"})
    return user


def _record(session: Session, ctx: AppContext, actor: str, change: str, **details: Any) -> None:
    append_event(session, type=CHANGED, actor=actor, at=ctx.now(), payload={"change": change, **details})


def _from_to(session: Session, before: str, department: Department) -> dict[str, str]:
    session.flush()
    return {"from": before, "to": department_paths(session)[department.id]}


def create_department(ctx: AppContext, *, name: str, parent_id: int | None = None, leader: str | None = None,
                      actor: str) -> dict[str, Any]:
    name = name.strip()
    with ctx.db.transaction() as session:
        parent = _parent(session, parent_id)
        _check_sibling_name(session, name, parent_id)
        if leader:
            _active_user(session, leader, "leader")
        last = session.execute(select(func.max(Department.position)).where(
            Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id)).scalar()
        department = Department(name=name, parent_id=parent.id if parent else None, leader=leader or None,
                                position=(last or 0) + 1)
        session.add(department)
        session.flush()
        path = department_paths(session)[department.id]
        _record(session, ctx, actor, "department_created", department=path, leader=leader or None)
        return {"id": department.id, "path": path}


def rename_department(ctx: AppContext, *, department_id: int, name: str, actor: str) -> None:
    with ctx.db.transaction() as session:
        _rename(session, ctx, actor, _department(session, department_id), name.strip())


def move_department(ctx: AppContext, *, department_id: int, parent_id: int | None, actor: str) -> None:
    """File a department (with everything under it) under another one, or at the top."""
    with ctx.db.transaction() as session:
        _move(session, ctx, actor, _department(session, department_id), parent_id)


def update_department(ctx: AppContext, *, department_id: int, name: str, parent_id: int | None,
                      actor: str) -> None:
    """Move and rename in one go (the page's form); what did not change is left alone."""
    name = name.strip()
    with ctx.db.transaction() as session:
        department = _department(session, department_id)
        if parent_id != department.parent_id:
            _move(session, ctx, actor, department, parent_id)
        if name and name != department.name:
            _rename(session, ctx, actor, department, name)


def _rename(session: Session, ctx: AppContext, actor: str, department: Department, name: str) -> None:
    _check_sibling_name(session, name, department.parent_id, department.id)
    before = department_paths(session)[department.id]
    department.name = name
    _record(session, ctx, actor, "department_renamed", **_from_to(session, before, department))


def _move(session: Session, ctx: AppContext, actor: str, department: Department, parent_id: int | None) -> None:
    parent = _parent(session, parent_id)
    ancestor = parent
    while ancestor is not None:
        if ancestor.id == department.id:
            raise ValidationFailed("department refused", {"parent": "部门不能放在它自己或它的下级部门之下 "
                                                                    "(a department cannot go under itself)"})
        ancestor = session.get(Department, ancestor.parent_id) if ancestor.parent_id else None
    _check_sibling_name(session, department.name, parent_id, department.id)
    before = department_paths(session)[department.id]
    department.parent_id = parent.id if parent else None
    _record(session, ctx, actor, "department_moved", **_from_to(session, before, department))


def delete_department(ctx: AppContext, *, department_id: int, actor: str) -> None:
    """Only an empty department goes: no one in it and nothing under it."""
    with ctx.db.transaction() as session:
        department = _department(session, department_id)
        members = session.execute(select(func.count(User.id)).where(User.department_id == department.id)).scalar()
        children = session.execute(select(func.count(Department.id)).where(
            Department.parent_id == department.id)).scalar()
        if members or children:
            raise ValidationFailed("department not empty", {"department": (
                f"部门还有 {members} 人、{children} 个下级部门，不能删除 "
                f"(the department still has {members} people and {children} departments under it)")})
        path = department_paths(session)[department.id]
        session.delete(department)
        _record(session, ctx, actor, "department_deleted", department=path)


def set_leader(ctx: AppContext, *, department_id: int, leader: str | None, actor: str) -> None:
    with ctx.db.transaction() as session:
        department = _department(session, department_id)
        if leader:
            _active_user(session, leader, "leader")
        before, department.leader = department.leader, leader or None
        if before != department.leader:
            _record(session, ctx, actor, "leader_set", department=department_paths(session)[department.id],
                    **{"from": before, "to": department.leader})


# --- a person's place ------------------------------------------------------------------------------


def place_user(ctx: AppContext, *, username: str, department_id: int | None, superior: str | None,
               mobile: str | None, actor: str) -> dict[str, list[Any]]:
    """Set a person's department, direct superior (上级) and mobile; returns what changed (old, new)."""
    superior, mobile = (superior or "").strip() or None, (mobile or "").strip() or None
    with ctx.db.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise NotFound(f"no such user: '{username}'")
        errors: dict[str, str] = {}
        paths = department_paths(session)
        if department_id is not None and department_id not in paths:
            errors["department"] = f"没有这个部门 #{department_id} (no such department #{department_id})"
        problem = mobile_problem(mobile) if mobile else None
        if problem:
            errors["mobile"] = problem
        if superior and superior != user.superior:  # a superior kept as it was is no new problem
            errors.update(_superior_problem(session, username, superior))
        if errors:
            raise ValidationFailed("organisation refused", errors)
        before = {"department": paths.get(user.department_id or 0), "superior": user.superior,
                  "mobile": user.mobile}
        user.department_id, user.superior, user.mobile = department_id, superior, mobile
        after = {"department": paths.get(department_id or 0), "superior": superior, "mobile": mobile}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                         payload={"username": username, "changes": changes})
        return changes


def _superior_problem(session: Session, username: str, superior: str) -> dict[str, str]:
    try:
        _active_user(session, superior, "superior")
    except ValidationFailed as exc:
        return exc.errors
    superiors = {name: above for name, above in session.execute(select(User.username, User.superior))}
    line = superior_cycle(superiors, username, superior)
    return {"superior": cycle_text(line)} if line else {}
