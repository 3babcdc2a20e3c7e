"""The case lists — 待办, 已办, 我发起的, 抄送我的, 全部案例 — with search, sort and paging.

One query object serves the pages, the API, the CLI and the exports. Every list is cut by
`access.visible_cases`, the SQL form of the one permission policy, so no tab or filter can show a
case its case page would refuse. A page costs four queries however many cases there are: the page's
ids in order, their columns, their open tasks, and a count that stops at COUNT_CAP ("1000+").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import Session, aliased

from service.domain import task_cursor
from service.domain.access import Viewer
from service.domain.case_search_terms import (
    CASE_KEY_KINDS,
    LIKE_ESCAPE,
    TABS,
    CaseQuery,
    QueryRejected,
    like_pattern,
    read_query,
)
from service.domain.messages import Message
from service.domain.task_cursor import Cursor
from service.persistence.models import CaseCopy, HumanTask, ProcessDefinition, ProcessInstance, User

from .access import load_viewer, visible_cases, workable_tasks
from .context import AppContext
from .errors import Forbidden, ValidationFailed
from .open_task_list import NO_DEADLINE

EXPORT_MAX = 10_000  # rows in one export; more are left out and the result says so
COUNT_CAP = 1_000  # a list counts this far ("1000+"): nobody reads an exact larger number, and it costs
_CHUNK = 500  # case ids per IN (…) when the open tasks of an export are read
_Case = ProcessInstance
_STARTER, _HOLDER = aliased(User), aliased(User)  # made once: SQLAlchemy caches statements per alias


def parse_query(args: Mapping[str, str]) -> CaseQuery:
    """The checked query of query-string style arguments, or ValidationFailed naming each bad one."""
    try:
        return read_query(args)
    except QueryRejected as exc:
        raise ValidationFailed("search.refused", exc.errors, fields=", ".join(exc.errors)) from exc


def tabs_for(viewer: Viewer | None) -> list[str]:
    """The tabs this person has; `all` only for the read-all roles (and the unrestricted CLI)."""
    if viewer is None:
        return ["all"]
    return [tab for tab in TABS if tab != "all" or viewer.reads_all]


def default_tab(viewer: Viewer | None) -> str:
    return "all" if viewer is None or viewer.reads_all else "todo"


def _has_task(*conditions: Any) -> ColumnElement[bool]:
    """Cases with a task row that meets the conditions, looked up per case (an index on the case's
    tasks): the page is read in its sort order and stops at its last row, and the count at COUNT_CAP,
    so the cost follows the page, not the number of tasks in the company."""
    return exists().where(HumanTask.instance_id == _Case.id, *conditions)


def _open_task(*conditions: Any) -> ColumnElement[bool]:
    return _has_task(HumanTask.status == "open", *conditions)


def _tab_condition(viewer: Viewer | None, tab: str) -> ColumnElement[bool]:
    if tab not in tabs_for(viewer):
        who = viewer.username if viewer else "—"
        if tab == "all":
            raise Forbidden("search.all_forbidden", user=who)
        raise ValidationFailed("search.tab_refused", {"tab": Message("search.tab_needs_user", {"tab": tab})})
    if viewer is None or tab == "all":
        return true()
    if tab == "todo":  # the policy's condition names the case (customers): the outer case row
        return _has_task(workable_tasks(viewer))
    if tab == "done":
        return _has_task(HumanTask.completed_by == viewer.username)
    if tab == "started":
        return _Case.started_by == viewer.username
    return _Case.id.in_(select(CaseCopy.instance_id).where(CaseCopy.username == viewer.username))


def _check_names(session: Session, query: CaseQuery) -> None:
    """A process or person that does not exist is a typing mistake worth saying, not an empty list."""
    errors = {}
    for name in ("starter", "holder"):
        username = getattr(query, name)
        if username and session.execute(select(User.id).where(User.username == username)).first() is None:
            errors[name] = Message("user.missing", {"user": username})
    if query.process and session.execute(select(ProcessDefinition.id).where(
            ProcessDefinition.process_id == query.process).limit(1)).first() is None:
        errors["process"] = Message("process.not_deployed", {"process": query.process})
    if errors:
        raise ValidationFailed("search.refused", errors, fields=", ".join(errors))


def _day_start(ctx: AppContext, day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ctx.tz)


def _matches(column: Any, typed: str, dialect: str) -> ColumnElement[bool]:
    """Case-insensitive LIKE: SQLite's LIKE already ignores case (ASCII, as its lower() does) and
    keeps an index usable; PostgreSQL needs ILIKE (which also folds non-ASCII letters)."""
    pattern = like_pattern(typed)
    if dialect == "sqlite":
        return column.like(pattern, escape=LIKE_ESCAPE)
    return column.ilike(pattern, escape=LIKE_ESCAPE)


def _conditions(ctx: AppContext, dialect: str, viewer: Viewer | None, tab: str, query: CaseQuery
                ) -> list[ColumnElement[bool]]:
    conds = [_Case.status != "starting", _tab_condition(viewer, tab)]
    if viewer is not None:
        conds.append(visible_cases(viewer))
    if query.process:
        conds.append(_Case.process_id == query.process)
    if query.status:
        conds.append(_Case.status == query.status)
    if query.key:
        conds.append(_matches(_Case.business_key, query.key, dialect) | _matches(_Case.customer, query.key, dialect))
    if query.starter:
        conds.append(_Case.started_by == query.starter)
    if query.holder:
        conds.append(_open_task(HumanTask.assignee == query.holder))
    if query.started_from:
        conds.append(_Case.started_at >= _day_start(ctx, query.started_from))
    if query.started_to:
        conds.append(_Case.started_at < _day_start(ctx, query.started_to + timedelta(days=1)))
    if query.overdue:
        conds.append(_open_task(HumanTask.due_at < ctx.now()))
    return conds


def _earliest_due() -> Any:
    return (select(func.min(HumanTask.due_at)).where(HumanTask.instance_id == _Case.id, HumanTask.status == "open")
            .correlate(_Case).scalar_subquery())


def _sort_keys(query: CaseQuery) -> list[tuple[Any, bool]]:
    """The columns a list is ordered by, each with "descending?": the sorted value, then the case id.
    The cursor of CASE_KEY_KINDS holds the same values. Cases without a deadline come last either way."""
    descending = query.order != "asc"
    if query.sort == "due":
        due = _earliest_due()
        return [(case((due.is_(None), 1), else_=0), False),
                (func.coalesce(due, literal(NO_DEADLINE, HumanTask.due_at.type)), descending), (_Case.id, descending)]
    column = {"started_at": _Case.started_at, "updated_at": _Case.updated_at, "id": _Case.id,
              "business_key": _Case.business_key, "process": ProcessDefinition.name, "status": _Case.status}[query.sort]
    return [(column, descending)] + ([(_Case.id, descending)] if query.sort != "id" else [])


def _after(keys: list[tuple[Any, bool]], values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Strictly after `values` in the order of `keys`: one row comparison when every key runs the same
    way (an index range), else the lexicographic OR of its prefixes (the deadline sort's "none last")."""
    bound = [literal(v, k.type) for (k, _), v in zip(keys, values, strict=True)]
    if len({d for _, d in keys}) == 1:
        row, position = tuple_(*[k for k, _ in keys]), tuple_(*bound)
        return row < position if keys[0][1] else row > position
    alternatives = []
    for i, (key, descending) in enumerate(keys):
        equal = [k == b for (k, _), b in zip(keys[:i], bound[:i], strict=True)]
        alternatives.append(and_(*equal, key < bound[i] if descending else key > bound[i]))
    return or_(*alternatives)


def _iso(ctx: AppContext, value: datetime | None) -> str | None:
    return value.astimezone(ctx.tz).isoformat() if value else None


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _open_tasks(ctx: AppContext, session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    now = ctx.now()
    for part in _chunks(ids):
        rows = session.execute(
            select(HumanTask.instance_id, HumanTask.id, HumanTask.name, HumanTask.role, HumanTask.assignee,
                   _HOLDER.display_name, HumanTask.due_at)
            .outerjoin(_HOLDER, _HOLDER.username == HumanTask.assignee)
            .where(HumanTask.instance_id.in_(part), HumanTask.status == "open")
            .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id))
        for r in rows:
            found.setdefault(r.instance_id, []).append({
                "id": r.id, "name": r.name, "role": r.role, "assignee": r.assignee,
                "assignee_name": r.display_name if r.assignee else None, "due_at": _iso(ctx, r.due_at),
                "overdue": bool(r.due_at and r.due_at < now)})
    return found


def _page_ids(session: Session, conds: list[Any], query: CaseQuery, limit: int, offset: int
              ) -> tuple[list[int], str | None]:
    """The ids of the page in order, and the cursor of the next page (None: this is the last).

    Only the id and its sort values go through the sort, so sorting ten thousand cases by a computed
    deadline stays cheap; the columns are read for the page alone. With a cursor the page starts
    strictly after the previous page's last case: no rows read and thrown away, none shown twice."""
    keys = _sort_keys(query)
    ordered = select(_Case.id, *[k.label(f"k{i}") for i, (k, _) in enumerate(keys)]).where(*conds)
    if query.after:
        ordered = ordered.where(_after(keys, task_cursor.decode(query.after, query.sort, CASE_KEY_KINDS).keys))
        offset = 0
    if query.sort == "process":
        ordered = ordered.join(ProcessDefinition, ProcessDefinition.id == _Case.definition_id)
    ordered = ordered.order_by(*[k.desc() if d else k.asc() for k, d in keys]).limit(limit + 1).offset(offset)
    found = list(session.execute(ordered))
    following = None
    if len(found) > limit:
        last = found[limit - 1]
        following = task_cursor.encode(Cursor(query.sort, 0, tuple(_aware(v) for v in last[1:])))
    return [r.id for r in found[:limit]], following


def _aware(value: Any) -> Any:
    """A sort value as the cursor holds it: times with their offset (SQLite gives them back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


def _details(ids: list[int]) -> Any:
    return (select(_Case.id, _Case.process_id, ProcessDefinition.name.label("process_name"), ProcessDefinition.version,
                   _Case.business_key, _Case.customer, _Case.status, _Case.started_by,
                   _STARTER.display_name.label("starter_name"), _Case.started_at, _Case.updated_at)
            .join(ProcessDefinition, ProcessDefinition.id == _Case.definition_id)
            .outerjoin(_STARTER, _STARTER.username == _Case.started_by)
            .where(_Case.id.in_(ids)))


def _rows(ctx: AppContext, session: Session, ids: list[int]) -> list[dict[str, Any]]:
    cases = {c.id: c for part in _chunks(ids) for c in session.execute(_details(part))}
    tasks = _open_tasks(ctx, session, ids)
    out = []
    for case_id in ids:
        c, current = cases[case_id], tasks.get(case_id, [])
        dues = [t["due_at"] for t in current if t["due_at"]]
        out.append({
            "id": c.id, "process_id": c.process_id, "process_name": c.process_name, "version": c.version,
            "business_key": c.business_key, "customer": c.customer, "status": c.status,
            "started_by": c.started_by, "started_by_name": c.starter_name or c.started_by,
            "started_at": _iso(ctx, c.started_at), "updated_at": _iso(ctx, c.updated_at),
            "current_tasks": current, "due_at": min(dues) if dues else None,
            "overdue": any(t["overdue"] for t in current)})
    return out


def _prepared(ctx: AppContext, session: Session, actor: str | None, query: CaseQuery
              ) -> tuple[Viewer | None, str, list[Any]]:
    viewer = load_viewer(session, actor) if actor is not None else None
    tab = query.tab or default_tab(viewer)
    conds = _conditions(ctx, session.get_bind().dialect.name, viewer, tab, query)
    _check_names(session, query)
    return viewer, tab, conds


def _count(session: Session, conds: list[Any], cap: int | None = COUNT_CAP) -> int:
    """How many cases match, counting no further than `cap` + 1 (more than `cap`: "cap+"); None: all.

    In id order: the database then walks the cases by their primary key and stops at `cap` + 1,
    where without an order PostgreSQL gathered every matching task (each one of a role's open
    tasks, for 待办) to find the first thousand cases."""
    found = select(_Case.id).where(*conds).order_by(_Case.id)
    found = found.limit(cap + 1) if cap is not None else found
    return int(session.execute(select(func.count()).select_from(found.subquery())).scalar() or 0)


def count(ctx: AppContext, actor: str | None, query: CaseQuery) -> int:
    """How many cases the query finds (what the tabs and the page head say), at most COUNT_CAP + 1."""
    with ctx.db.reading() as session:
        return _count(session, _prepared(ctx, session, actor, query)[2])


def search(ctx: AppContext, actor: str | None, query: CaseQuery, *, export: bool = False) -> dict[str, Any]:
    """One page of the cases `actor` asks for (None: every case, for the command line without --as).

    With `export`, the whole result from the first row instead, at most EXPORT_MAX rows (`capped`).
    """
    with ctx.db.reading() as session:
        viewer, tab, conds = _prepared(ctx, session, actor, query)
        limit, offset = (EXPORT_MAX, 0) if export else (query.per_page, (query.page - 1) * query.per_page)
        ids, following = _page_ids(session, conds, query, limit, offset)
        rows = _rows(ctx, session, ids)
        cap = None if export else max(COUNT_CAP, offset + limit)  # a far page is counted past itself
        # the whole result on the first page needs no count; an export says how many it left out
        total = len(rows) if not export and query.page == 1 and len(rows) < limit else _count(session, conds, cap)
        more = cap is not None and total > cap
        total = min(total, cap) if cap is not None else total
        return {"rows": rows, "total": total, "more": more, "page": 1 if export else query.page,
                "per_page": limit, "pages": max(1, math.ceil(total / limit)) + more, "tab": tab,
                "tabs": tabs_for(viewer), "sort": query.sort, "order": query.order,
                "capped": export and total > EXPORT_MAX, "next": None if export else following}


def nothing_found(ctx: AppContext, actor: str, tab: str) -> dict[str, Any]:
    """An empty result of the shape `search` returns, for a page whose search was refused."""
    with ctx.db.reading() as session:
        viewer = load_viewer(session, actor)
    tabs = tabs_for(viewer)
    return {"rows": [], "total": 0, "more": False, "page": 1, "per_page": CaseQuery.per_page, "pages": 1,
            "tab": tab if tab in tabs else default_tab(viewer), "tabs": tabs, "sort": CaseQuery.sort,
            "order": CaseQuery.order, "capped": False, "next": None}


def filter_choices(ctx: AppContext, actor: str) -> dict[str, Any]:
    """What the filter form offers: the deployed processes (latest name) and, for staff, the people."""
    with ctx.db.reading() as session:
        viewer = load_viewer(session, actor)
        names = {pid: name for pid, name in session.execute(
            select(ProcessDefinition.process_id, ProcessDefinition.name).order_by(ProcessDefinition.version))}
        people: list[tuple[str, str]] = []
        if not viewer.is_customer:
            people = [(u, n) for u, n in session.execute(
                select(User.username, User.display_name).where(User.active.is_(True)).order_by(User.username))]
        return {"processes": sorted(names.items()), "people": people}

