"""The sales-region tree (销售区域): read as a nested tree, and created, renamed, moved, deleted.

Why orders keep their path as text: a dispatch order records `region_path` ("华东区/上海") when it is
created, so renaming or moving a region later changes the tree and the orders to come, not the history
of orders already made. Delete takes only a region without sub-regions: removing a branch at once would
silently drop every region below it (move or delete them first). Orders naming a deleted region keep
their path text; `region_path` of its id is then NotFound.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.messages import Message
from service.persistence.after_sales_models import SalesRegion
from service.persistence.read_cache import while_unchanged

from .after_sales_common import ensure_may_edit, record, text_value
from .context import AppContext
from .errors import NotFound, ValidationFailed

SEPARATOR = "/"
NAME_MAX = 64
MAX_DEPTH = 8
MAX_REGIONS = 5000


def _rows(session: Session) -> list[tuple[int, str, int | None, int]]:
    return [(r.id, r.name, r.parent_id, r.position) for r in session.execute(
        select(SalesRegion).order_by(SalesRegion.position, SalesRegion.id)).scalars()]


def _cached(session: Session) -> list[tuple[int, str, int | None, int]]:
    return while_unchanged(session, "sales_regions", lambda: _rows(session))


def _paths(rows: list[tuple[int, str, int | None, int]]) -> dict[int, str]:
    by_id = {r[0]: r for r in rows}
    paths: dict[int, str] = {}

    def path(region_id: int, depth: int = 0) -> str:
        if region_id in paths:
            return paths[region_id]
        _, name, parent, _ = by_id[region_id]
        found = name if parent is None or parent not in by_id or depth > MAX_DEPTH else \
            path(parent, depth + 1) + SEPARATOR + name
        paths[region_id] = found
        return found

    for region_id in by_id:
        path(region_id)
    return paths


def _tree(rows: list[tuple[int, str, int | None, int]]) -> list[dict[str, Any]]:
    paths = _paths(rows)
    nodes: dict[int, dict[str, Any]] = {
        r[0]: {"id": r[0], "name": r[1], "parent_id": r[2], "path": paths[r[0]], "children": []} for r in rows}
    roots: list[dict[str, Any]] = []
    for region_id, _, parent, _ in rows:
        (nodes[parent]["children"] if parent in nodes else roots).append(nodes[region_id])
    return roots


def region_tree(ctx: AppContext) -> list[dict[str, Any]]:
    """The tree as nested dicts: id, name, parent_id, path ("华东区/上海"), children (in their order)."""
    with ctx.db.reading() as session:
        return _tree(_cached(session))


def region_list(ctx: AppContext) -> list[dict[str, Any]]:
    """Every region depth first, with its depth (for a select of regions)."""
    flat: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            flat.append({"id": node["id"], "name": node["name"], "path": node["path"], "depth": depth,
                         "parent_id": node["parent_id"], "has_children": bool(node["children"])})
            walk(node["children"], depth + 1)

    walk(region_tree(ctx), 0)
    return flat


def region_path(ctx: AppContext, region_id: int) -> str:
    """"华东区/上海" for the id (NotFound when there is no such region)."""
    with ctx.db.reading() as session:
        paths = _paths(_cached(session))
    if region_id not in paths:
        raise NotFound("as_master.region_missing", id=region_id)
    return paths[region_id]


# --- changes ---------------------------------------------------------------------------------------


def _name(raw: object) -> str:
    errors: dict[str, Message] = {}
    name = text_value(raw, "name", errors, max_length=NAME_MAX, required=True)
    if not errors and SEPARATOR in name:
        errors["name"] = Message("as_master.region_name_slash")
    if errors:
        raise ValidationFailed("as_master.region_refused", errors)
    return name


def _region(session: Session, region_id: int) -> SalesRegion:
    found = session.get(SalesRegion, region_id)
    if found is None:
        raise NotFound("as_master.region_missing", id=region_id)
    return found


def _depth(session: Session, region_id: int | None) -> int:
    depth, seen = 0, set()
    while region_id is not None and region_id not in seen:
        seen.add(region_id)
        depth += 1
        region_id = session.execute(select(SalesRegion.parent_id).where(SalesRegion.id == region_id)).scalar()
    return depth


def _ensure_free(session: Session, parent_id: int | None, name: str, own_id: int | None = None) -> None:
    clash = session.execute(select(SalesRegion.id).where(
        SalesRegion.parent_id.is_(None) if parent_id is None else SalesRegion.parent_id == parent_id,
        func.lower(SalesRegion.name) == name.lower())).scalar()
    if clash is not None and clash != own_id:
        raise ValidationFailed("as_master.region_refused", {"name": Message("as_master.region_name_taken",
                                                                              {"name": name})})


def _next_position(session: Session, parent_id: int | None) -> int:
    last = session.execute(select(func.max(SalesRegion.position)).where(
        SalesRegion.parent_id.is_(None) if parent_id is None else SalesRegion.parent_id == parent_id)).scalar()
    return int(last or 0) + 1


def _path_in(session: Session, region_id: int) -> str:
    return _paths(_rows(session)).get(region_id, "")


def create_region(ctx: AppContext, *, name: object, parent_id: int | None, actor: str) -> dict[str, Any]:
    """A new region at the end of its parent's children (a top-level region without a parent)."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "regions")
        clean = _name(name)
        if parent_id is not None:
            _region(session, parent_id)
            if _depth(session, parent_id) >= MAX_DEPTH:
                raise ValidationFailed("as_master.region_refused", {"parent_id": Message(
                    "as_master.region_too_deep", {"max": MAX_DEPTH})})
        if session.execute(select(func.count(SalesRegion.id))).scalar_one() >= MAX_REGIONS:
            raise ValidationFailed("as_master.region_refused", {"name": Message(
                "as_master.region_too_many", {"max": MAX_REGIONS})})
        _ensure_free(session, parent_id, clean)
        region = SalesRegion(name=clean, parent_id=parent_id, position=_next_position(session, parent_id))
        session.add(region)
        session.flush()
        path = _path_in(session, region.id)
        record(session, ctx, actor, "region_created", region_id=region.id, path=path)
        return {"id": region.id, "name": region.name, "parent_id": parent_id, "path": path}


def rename_region(ctx: AppContext, region_id: int, *, name: object, actor: str) -> dict[str, Any]:
    """A new name; orders already created keep the path they recorded."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "regions")
        clean = _name(name)
        region = _region(session, region_id)
        _ensure_free(session, region.parent_id, clean, own_id=region.id)
        before = _path_in(session, region.id)
        region.name = clean
        session.flush()
        path = _path_in(session, region.id)
        if path != before:
            record(session, ctx, actor, "region_renamed", region_id=region.id, before=before, path=path)
        return {"id": region.id, "name": region.name, "parent_id": region.parent_id, "path": path}


def move_region(ctx: AppContext, region_id: int, *, parent_id: int | None, actor: str,
                position: int | None = None) -> dict[str, Any]:
    """Put the region (with its sub-regions) under another parent (None: top level), at the end or at
    `position` (1 = first) among its new siblings. Never under itself or one of its own sub-regions."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "regions")
        region = _region(session, region_id)
        if parent_id is not None:
            _region(session, parent_id)
            ancestor: int | None = parent_id
            while ancestor is not None:
                if ancestor == region.id:
                    raise ValidationFailed("as_master.region_refused", {"parent_id": Message(
                        "as_master.region_under_itself")})
                ancestor = session.execute(select(SalesRegion.parent_id).where(SalesRegion.id == ancestor)).scalar()
            if _depth(session, parent_id) + _height(session, region.id) > MAX_DEPTH:
                raise ValidationFailed("as_master.region_refused", {"parent_id": Message(
                    "as_master.region_too_deep", {"max": MAX_DEPTH})})
        _ensure_free(session, parent_id, region.name, own_id=region.id)
        before = _path_in(session, region.id)
        _place(session, region, parent_id, position)
        session.flush()
        path = _path_in(session, region.id)
        record(session, ctx, actor, "region_moved", region_id=region.id, before=before, path=path)
        return {"id": region.id, "name": region.name, "parent_id": region.parent_id, "path": path}


def _height(session: Session, region_id: int) -> int:
    """Levels of the region's branch: 1 for a region without sub-regions."""
    children = list(session.execute(select(SalesRegion.id).where(SalesRegion.parent_id == region_id)).scalars())
    return 1 + max((_height(session, child) for child in children), default=0)


def _place(session: Session, region: SalesRegion, parent_id: int | None, position: int | None) -> None:
    siblings = [r for r in session.execute(select(SalesRegion).where(
        SalesRegion.parent_id.is_(None) if parent_id is None else SalesRegion.parent_id == parent_id)
        .order_by(SalesRegion.position, SalesRegion.id)).scalars() if r.id != region.id]
    at = len(siblings) if position is None else max(0, min(int(position) - 1, len(siblings)))
    siblings.insert(at, region)
    region.parent_id = parent_id
    for index, sibling in enumerate(siblings, start=1):
        sibling.position = index


def delete_region(ctx: AppContext, region_id: int, *, actor: str) -> None:
    """Remove a region without sub-regions (refused otherwise, naming how many); orders keep its path."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "regions")
        region = _region(session, region_id)
        children = session.execute(select(func.count(SalesRegion.id)).where(SalesRegion.parent_id == region.id)
                                   ).scalar_one()
        if children:
            raise ValidationFailed("as_master.region_refused", {"region_id": Message(
                "as_master.region_has_children", {"path": _path_in(session, region.id), "count": children})})
        path = _path_in(session, region.id)
        session.delete(region)
        record(session, ctx, actor, "region_deleted", region_id=region_id, path=path)
