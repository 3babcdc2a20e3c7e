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
from service.domain.messages import Message, Words
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


def department_name_problem(name: str) -> Message | None:
    if not name:
        return Message("department.name_empty")
    problem = text_problem(name, max_length=NAME_MAX, single_line=True)
    if problem:
        return problem
    if any(ch in name for ch in SEPARATOR_CHARACTERS):
        return Message("department.name_separator", {"characters": " ".join(SEPARATOR_CHARACTERS)})
    return None


def mobile_problem(mobile: str) -> Message | None:
    problem = text_problem(mobile, max_length=MOBILE_MAX, single_line=True)
    if problem or MOBILE.match(mobile):
        return problem
    return Message("user.mobile_format", {"mobile": mobile})


def email_problem(email: str) -> Message | None:
    problem = text_problem(email, max_length=EMAIL_MAX, single_line=True)
    if problem or EMAIL.match(email):
        return problem
    return Message("user.email_format", {"email": email})


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


def cycle_text(line: list[str], rows: Mapping[str, int] | None = None) -> Message:
    """The loop in words; with `rows`, each person written with the row of the file that names them."""
    rows = rows or {}
    zh = " → ".join(f"{u}（第 {rows[u]} 行）" if u in rows else u for u in line)
    en = " → ".join(f"{u} (row {rows[u]})" if u in rows else u for u in line)
    return Message("user.superior_cycle", {"line": Words(zh, en)})


# --- departments -----------------------------------------------------------------------------------


def _department(session: Session, department_id: int) -> Department:
    found = session.get(Department, department_id)
    if found is None:
        raise NotFound("department.missing", department=department_id)
    return found


def _parent(session: Session, parent_id: int | None) -> Department | None:
    if parent_id is None:
        return None
    found = session.get(Department, parent_id)
    if found is None:
        raise ValidationFailed("department.refused", {"parent": Message("department.parent_missing", {
            "department": parent_id})})
    return found


def _check_sibling_name(session: Session, name: str, parent_id: int | None, own_id: int | None = None) -> None:
    problem = department_name_problem(name)
    if problem is None:
        clash = session.execute(select(Department.id).where(
            Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id,
            Department.name == name, Department.id != (own_id or 0))).first()
        problem = None if clash is None else Message("department.name_taken", {"name": name})
    if problem:
        raise ValidationFailed("department.refused", {"name": problem})


def _active_user(session: Session, username: str, field: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        code = "user.missing" if user is None else "user.inactive"
        raise ValidationFailed("organisation.refused", {field: Message(code, {"user": username})})
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
            raise ValidationFailed("department.refused", {"parent": Message("department.under_itself")})
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
            raise ValidationFailed("department.refused", {"department": Message("department.not_empty", {
                "members": members, "children": children})})
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
            raise NotFound("user.missing", user=username)
        errors: dict[str, str | Message] = {}
        paths = department_paths(session)
        if department_id is not None and department_id not in paths:
            errors["department"] = Message("department.missing", {"department": department_id})
        problem = mobile_problem(mobile) if mobile else None
        if problem:
            errors["mobile"] = problem
        if superior and superior != user.superior:  # a superior kept as it was is no new problem
            errors.update(_superior_problem(session, username, superior))
        if errors:
            raise ValidationFailed("organisation.refused", errors)
        before = {"department": paths.get(user.department_id or 0), "superior": user.superior,
                  "mobile": user.mobile}
        user.department_id, user.superior, user.mobile = department_id, superior, mobile
        after = {"department": paths.get(department_id or 0), "superior": superior, "mobile": mobile}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            append_event(session, type="user_saved", actor=actor, at=ctx.now(),
                         payload={"username": username, "changes": changes})
        return changes


def _superior_problem(session: Session, username: str, superior: str) -> dict[str, str | Message]:
    try:
        _active_user(session, superior, "superior")
    except ValidationFailed as exc:
        return exc.errors
    superiors = {name: above for name, above in session.execute(select(User.username, User.superior))}
    line = superior_cycle(superiors, username, superior)
    return {"superior": cycle_text(line)} if line else {}
