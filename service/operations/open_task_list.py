"""One page of a person's open tasks by keyset, and how many there are (capped): for the inbox and the API.

Why this shape: "my open tasks" is `assigned to me OR (nobody's AND one of my roles)`, and an OR
over two indexes, sorted by deadline, makes the database read every matching task to show fifty.
Split into its parts — tasks held by me, and each role's unclaimed tasks — each part is a range of
a partial index on open tasks (migration 0009), already in deadline order; each part gives at most
a page, and the parts are merged in SQL (UNION ALL, then the same order). The cost follows the page
size, not the number of open tasks. The deadline sort puts tasks without one last, in their own
segment, so each part stays a plain index range.

Counts stop at COUNT_CAP: "more than 1,000" is all anybody reads from a larger number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, literal_column, select, tuple_, union_all
from sqlalchemy.orm import Session, defer, joinedload

from service.domain import task_cursor
from service.domain.access import Viewer
from service.domain.task_cursor import Cursor, CursorRejected
from service.persistence.models import HumanTask, ProcessDefinition, ProcessInstance

from .errors import ValidationFailed

COUNT_CAP = 1_000
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)  # where the name sort puts a task without deadline
# a literal, not a parameter: the planners match it against the partial indexes' WHERE status = 'open'
OPEN = HumanTask.status == literal_column("'open'")


@dataclass(frozen=True)
class TaskFilter:
    process: str = ""
    role: str = ""
    overdue_before: datetime | None = None  # only tasks due before this moment
    q: str = ""  # part of the case's business key


@dataclass(frozen=True)
class _Segment:
    keys: tuple[int, ...]  # which of the sort's columns position this segment (the cursor's)
    condition: Any = None
    has_deadline: bool = True
    # the columns it is ordered by, if more than `keys`: the tasks without a deadline are ordered by
    # (deadline, id) — the same order, all deadlines being empty — so that PostgreSQL reads them as a
    # range of the partial index, where `ORDER BY id` alone had it walk every task by its primary key
    order: tuple[int, ...] = ()


def _sort_columns(sort: str) -> tuple[tuple[Any, ...], tuple[_Segment, ...], bool]:
    """(the columns every part returns, the segments in order, descending?) of a sort."""
    t = HumanTask
    if sort == "created":
        return (t.created_at, t.id), (_Segment((0, 1)),), True
    if sort == "name":
        no_due = case((t.due_at.is_(None), 1), else_=0)
        due = func.coalesce(t.due_at, literal(NO_DEADLINE, t.due_at.type))
        return (t.name, no_due, due, t.id), (_Segment((0, 1, 2, 3)),), False
    return (t.due_at, t.id), (_Segment((0, 1), t.due_at.is_not(None)),
                              _Segment((1,), t.due_at.is_(None), has_deadline=False, order=(0, 1))), False


def _parts(viewer: Viewer, flt: TaskFilter) -> list[list[Any]]:
    """The disjoint parts of `access.workable_tasks`: held by the viewer, and each role's unclaimed."""
    mine: list[Any] = [HumanTask.assignee == viewer.username]
    roles = sorted(viewer.roles)
    if flt.role:
        mine.append(HumanTask.role == flt.role)
        roles = [r for r in roles if r == flt.role]
    parts = [mine]
    for role in roles:
        unclaimed = [HumanTask.assignee.is_(None), HumanTask.role == role]
        if viewer.is_customer:
            unclaimed.append(ProcessInstance.customer == (viewer.company or "\x00"))
        parts.append(unclaimed)
    return parts


def _needs_case(viewer: Viewer, flt: TaskFilter) -> bool:
    return viewer.is_customer or bool(flt.process or flt.q.strip())


def _filters(flt: TaskFilter) -> list[Any]:
    conds: list[Any] = [OPEN]
    if flt.process:
        conds.append(ProcessInstance.process_id == flt.process)
    if flt.overdue_before is not None:
        conds.append(HumanTask.due_at < flt.overdue_before)
    if flt.q.strip():
        conds.append(ProcessInstance.business_key.icontains(flt.q.strip(), autoescape=True))
    return conds


def _after(keys: tuple[Any, ...], values: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    if len(keys) == 1:
        return keys[0] < values[0] if descending else keys[0] > values[0]
    row, position = tuple_(*keys), tuple_(*[literal(v, k.type) for k, v in zip(keys, values, strict=True)])
    return row < position if descending else row > position


def _part_query(columns: tuple[Any, ...], segment: _Segment, number: int, conds: list[Any], join: bool,
                cursor: Cursor | None, descending: bool, limit: int | None) -> Any:
    query = select(literal(number).label("seg"), *[c.label(f"k{i}") for i, c in enumerate(columns)])
    if join:
        query = query.join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
    query = query.where(*conds, *([segment.condition] if segment.condition is not None else []))
    keys = tuple(columns[i] for i in segment.keys)
    if cursor is not None and cursor.segment == number:
        query = query.where(_after(keys, tuple(cursor.keys[i] for i in segment.keys), descending))
    ordered = tuple(columns[i] for i in segment.order) or keys
    query = query.order_by(*[k.desc() if descending else k.asc() for k in ordered])
    return query.limit(limit) if limit else query


def page(session: Session, viewer: Viewer, flt: TaskFilter, sort: str, cursor: Cursor | None,
         limit: int | None) -> tuple[list[int], Cursor | None]:
    """The ids of one page of the viewer's open tasks in `sort` order after `cursor`, and the cursor
    of the next page (None: this is the last). `limit` None: every task at once (exports)."""
    columns, segments, descending = _sort_columns(sort)
    base, join = _filters(flt), _needs_case(viewer, flt)
    take = (limit + 1) if limit else None
    queries = [_part_query(columns, segment, number, base + part, join, cursor, descending, take)
               for number, segment in enumerate(segments)
               if (cursor is None or number >= cursor.segment) and (segment.has_deadline or flt.overdue_before is None)
               for part in _parts(viewer, flt)]
    if not queries:
        return [], None
    merged = union_all(*[q.subquery().select() for q in queries]).subquery()
    keys = [merged.c[f"k{i}"] for i in range(len(columns))]
    ordered = select(merged.c.seg, *keys).order_by(merged.c.seg, *[k.desc() if descending else k.asc() for k in keys])
    rows = session.execute(ordered.limit(take) if take else ordered).all()
    shown = rows[:limit] if limit else rows
    more = bool(limit) and len(rows) > (limit or 0)
    last = shown[-1] if shown else None
    following = Cursor(sort, last[0], tuple(last[1:])) if more and last is not None else None
    return [row[-1] for row in shown], following


def count(session: Session, viewer: Viewer, flt: TaskFilter) -> tuple[int, bool]:
    """How many open tasks the viewer may work on, at most COUNT_CAP; and whether there are more."""
    base, join = _filters(flt), _needs_case(viewer, flt)
    found = 0
    for part in _parts(viewer, flt):
        query = select(literal(1)).select_from(HumanTask)
        if join:
            query = query.join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        inner = query.where(*base, *part).limit(COUNT_CAP + 1 - found).subquery()
        found += int(session.execute(select(func.count()).select_from(inner)).scalar() or 0)
        if found > COUNT_CAP:
            return COUNT_CAP, True
    return found, False


def read_cursor(text: str, sort: str) -> Cursor | None:
    """The cursor of an `after` argument ("" = the first page); ValidationFailed naming `after` if wrong."""
    try:
        return task_cursor.decode(text, sort) if text else None
    except CursorRejected as exc:
        raise refused(exc) from None


def read_limit(text: str | None) -> int:
    try:
        return task_cursor.read_limit(text)
    except CursorRejected as exc:
        raise refused(exc) from None


def refused(exc: CursorRejected) -> ValidationFailed:
    return ValidationFailed("task_page.refused", {exc.argument: exc.message}, fields=exc.argument)


def task_rows(session: Session, ids: list[int]) -> list[HumanTask]:
    """The task rows of `ids` in that order, with case and process, without the large serialized columns
    (the case's data too: a list row shows none of it)."""
    if not ids:
        return []
    with_case = joinedload(HumanTask.instance).options(defer(ProcessInstance.state_json), defer(ProcessInstance.data))
    with_process = with_case.joinedload(ProcessInstance.definition).options(
        defer(ProcessDefinition.spec_json), defer(ProcessDefinition.files))
    query = select(HumanTask).where(HumanTask.id.in_(ids)).options(with_process)
    found = {t.id: t for t in session.execute(query).unique().scalars()}
    return [found[i] for i in ids if i in found]
