"""The organisation as pages, the API and the CLI read it: the tree with leaders and members, and
everyone with department path, superior, roles and company.

Paths come from `directory.department_paths`, the one place that builds them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.domain.messages import Message
from service.domain.roles import ROLES
from service.persistence.models import Department, User, UserRole

from .access import load_viewer
from .context import AppContext
from .directory import department_paths
from .errors import Forbidden, ValidationFailed


def _person(user: User, paths: dict[int, str], names: dict[str, str]) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "email": user.email,
            "mobile": user.mobile, "department": paths.get(user.department_id or 0), "superior": user.superior,
            "superior_name": names.get(user.superior or ""), "roles": sorted(user.role_ids),
            "company": user.company, "active": user.active}


def _people(session: Session, paths: dict[int, str]) -> list[dict[str, Any]]:
    users = session.execute(select(User).order_by(User.username)).scalars().all()
    names = {u.username: u.display_name for u in users}
    return [_person(u, paths, names) for u in users]


def list_people(ctx: AppContext, *, active_only: bool = False) -> list[dict[str, Any]]:
    """Everyone with display name, e-mail, mobile, department path, superior, roles and company."""
    with ctx.db.reading() as session:
        people = _people(session, department_paths(session))
    return [p for p in people if p["active"] or not active_only]


def organisation_tree(ctx: AppContext) -> dict[str, Any]:
    """The departments as a tree (leaders and active members on each), plus the people in none."""
    with ctx.db.reading() as session:
        paths = department_paths(session)
        rows = session.execute(select(Department).order_by(Department.position, Department.name)).scalars().all()
        people = [p for p in _people(session, paths) if p["active"]]
    names = {p["username"]: p["display_name"] for p in people}
    members: dict[str | None, list[dict[str, Any]]] = {}
    for person in people:
        members.setdefault(person["department"], []).append(person)
    nodes: dict[int, dict[str, Any]] = {d.id: {
        "id": d.id, "name": d.name, "path": paths[d.id], "parent_id": d.parent_id, "leader": d.leader,
        "leader_name": names.get(d.leader or ""),
        "members": _leader_first(members.get(paths[d.id], []), d.leader),
        "children": []} for d in rows}
    roots: list[dict[str, Any]] = []
    for d in rows:
        parent = nodes.get(d.parent_id or 0)
        (parent["children"] if parent else roots).append(nodes[d.id])
    outside = members.get(None, [])
    return {"departments": roots, "flat": flatten(roots),
            "customers": [p for p in outside if p["company"]], "unplaced": [p for p in outside if not p["company"]]}


def _leader_first(people: list[dict[str, Any]], leader: str | None) -> list[dict[str, Any]]:
    return sorted(people, key=lambda p: (p["username"] != leader, p["username"]))


def flatten(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The tree in reading order, each node with its depth (for lists, selects and the export)."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append({**node, "depth": depth})
        out.extend(flatten(node["children"], depth + 1))
    return out


def require_staff(ctx: AppContext, actor: str) -> None:
    """The directory is for the company's own people: a customer contact reads none of it."""
    with ctx.db.reading() as session:
        if load_viewer(session, actor).is_customer:
            raise Forbidden("directory.customer", user=actor)


def department_tree(ctx: AppContext, *, actor: str) -> list[dict[str, Any]]:
    """The tree for the API: departments with leader, people (name and roles) and sub-departments."""
    require_staff(ctx, actor)

    def node(d: dict[str, Any]) -> dict[str, Any]:
        return {"id": d["id"], "name": d["name"], "path": d["path"], "leader": d["leader"],
                "leader_name": d["leader_name"],
                "members": [{k: m[k] for k in ("username", "display_name", "roles")} for m in d["members"]],
                "children": [node(c) for c in d["children"]]}

    return [node(d) for d in organisation_tree(ctx)["departments"]]


def pick_users(ctx: AppContext, *, actor: str, role: str | None = None, q: str | None = None,
               limit: int = 50) -> list[dict[str, Any]]:
    """Active people for a user picker: optionally with one role, `q` a part of the user or display name."""
    require_staff(ctx, actor)
    if role is not None and role not in ROLES:
        raise ValidationFailed("role.unknown_refused", {"role": Message("role.unknown_known", {
            "role": role[:64], "known": ", ".join(ROLES)})})
    query = select(User).where(User.active.is_(True)).order_by(User.username).limit(limit)
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    needle = (q or "").strip().lower()
    if needle:
        query = query.where(or_(func.lower(User.username).contains(needle, autoescape=True),
                                func.lower(User.display_name).contains(needle, autoescape=True)))
    with ctx.db.reading() as session:
        paths = department_paths(session)
        return [{"username": u.username, "display_name": u.display_name,
                 "department": paths.get(u.department_id or 0), "roles": sorted(u.role_ids)}
                for u in session.execute(query).scalars()]
