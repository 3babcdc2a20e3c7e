"""Lists the way seed 004's data windows work: conditions, sort, groups and columns over typed rows.

Pure rules over rows already read (no database, no Flask), so the pages, the API and the exports
read one query the same way. The words people type:

- A condition is `field op value`. `field` is a column key or header (中文 or English), or `*` for
  any column of the list (shown or not). A value alone is `* ~ value`.
- `*` in a value stands for any run of characters, case-insensitive, in every kind of column.
  `~` (包含, contains, the default) finds the value anywhere in the cell — the seed's own examples
  `2by*5084*4*1` and `*y.50*4.10*4` both find `2BY.5084.1044.1`, the second only unanchored;
  `=` is the whole cell (`*` allowed); `!=` and `!~` are their negations. An empty value with
  `=` / `!=` asks for an empty / a filled cell.
- Number and date columns also compare by value: `=`, `!=`, `<`, `<=`, `>`, `>=`; a date compares
  with the day of a time column (`<= 2026-09-30` includes that whole day).
- Conditions join with AND / OR (且 / 或), one per condition after the first, AND binding tighter
  than OR: `a AND b OR c` is `(a AND b) OR c`. No brackets: the seed's windows have none, and a
  flat list is what a form of rows can say.
- At most `LIMIT` (200) rows are returned, with the total count of matches. Sorting is by one or
  more columns: numbers by value, Latin letters without case, Chinese by pinyin (pypinyin), digits
  inside text by value, empty cells last either way. Grouping nests by one or more columns; each
  group counts its rows and sums the numeric columns — over every match, not only those shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .list_cells import (
    Column,
    Kind,
    Row,
    as_bool,
    as_number,
    cell_text,
    cell_texts,
    day_or_moment,
    empty_for_sort,
    is_empty,
    plain_number,
    sort_value,
    text_key,
)
from .list_query_reading import (
    ANY_FIELD,
    CONDITIONS_MAX,
    OPERATORS,
    Condition,
    QueryRejected,
    SortKey,
    condition_rows,
    field_names,
    find_column,
    parse_where,
    read_columns,
    read_sort,
)
from .messages import Message

# what the pages, the API and the exports read from here, with the query (the cells' own module is list_cells)
__all__ = ["ANY_FIELD", "CONDITIONS_MAX", "LIMIT", "OPERATORS", "Column", "Condition", "Group", "Kind",
           "ListDefinition", "ListQuery", "ListResult", "QueryRejected", "Row", "SortKey", "as_number",
           "cell_text", "condition_rows", "find_column", "is_empty", "parse_where", "plain_number", "read_columns",
           "read_sort", "text_key"]

LIMIT = 200


@dataclass(frozen=True)
class ListQuery:
    conditions: tuple[Condition, ...] = ()
    sort: tuple[SortKey, ...] = ()
    group_by: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # shown columns in order; () = the list's default
    limit: int = LIMIT


@dataclass(frozen=True)
class Group:
    column: str
    value: Any  # the cell value the group's rows share (None: empty)
    count: int
    sums: dict[str, int | float]
    groups: tuple[Group, ...] = ()
    first: int = 0  # index in the result's rows where its shown rows begin
    shown: int = 0  # how many of its rows are among those shown


@dataclass(frozen=True)
class ListResult:
    rows: list[Row]  # at most `limit`, sorted (grouped rows together)
    total: int  # every match
    columns: tuple[Column, ...]  # shown, in order
    groups: tuple[Group, ...]
    query: ListQuery
    all_columns: tuple[Column, ...] = ()  # every column of the list (groups may be by a column not shown)

    @property
    def shown(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=512)
def _pattern(value: str, whole: bool) -> re.Pattern[str]:
    body = ".*".join(re.escape(part) for part in value.casefold().split(ANY_FIELD))
    return re.compile(f"^{body}$" if whole else body, re.DOTALL)


def _text_matches(texts: list[str], value: str, whole: bool) -> bool:
    pattern = _pattern(value.strip(), whole)
    return any(pattern.search(t.casefold()) for t in texts)


def _compare(op: str, left: Any, right: Any) -> bool:
    return {"=": left == right, "!=": left != right, "<": left < right, "<=": left <= right, ">": left > right,
            ">=": left >= right}[op]


def _typed_matches(column: Column, cell: Any, op: str, value: str) -> bool | None:
    """A comparison by value, or None when the condition is one of text (wildcards, a text column)."""
    wanted = value.strip()
    if ANY_FIELD in wanted or column.kind not in ("number", "date", "datetime", "bool"):
        return None
    if column.kind == "bool":
        return _compare(op, as_bool(cell), as_bool(wanted))
    if is_empty(cell):
        return op == "!="
    if column.kind == "number":
        left, right = as_number(cell), as_number(wanted)
        return left is not None and right is not None and _compare(op, left, right)
    moment, asked = day_or_moment(cell), day_or_moment(wanted)
    if moment is None or asked is None:
        return False
    if isinstance(moment, datetime) and not isinstance(asked, datetime):
        return _compare(op, moment.date(), asked)  # a day asked of a time: the whole day
    if isinstance(asked, datetime) and not isinstance(moment, datetime):
        return _compare(op, moment, asked.date())
    if isinstance(moment, datetime) and isinstance(asked, datetime) and (moment.tzinfo is None) != (
            asked.tzinfo is None):
        asked = asked.replace(tzinfo=moment.tzinfo)
    return _compare(op, moment, asked)


def condition_holds(columns: Mapping[str, Column], row: Row, condition: Condition) -> bool:
    op, value = condition.op, condition.value
    negated = op in ("!~", "!=")
    if condition.field == ANY_FIELD:
        hit = any(_cell_matches(column, row.get(key), "=" if op in ("=", "!=") else "~", value)
                  for key, column in columns.items())
        return not hit if negated else hit
    column = columns[condition.field]
    if not value.strip() and op in ("=", "!="):
        return is_empty(row.get(column.key)) != (op == "!=")
    typed = _typed_matches(column, row.get(column.key), op, value)
    if typed is not None:
        return typed
    hit = _cell_matches(column, row.get(column.key), "=" if op in ("=", "!=") else "~", value)
    return not hit if negated else hit


def _cell_matches(column: Column, cell: Any, op: str, value: str) -> bool:
    if not value.strip():
        return op == "~"
    if op == "=" and ANY_FIELD not in value and column.kind in ("number", "date", "datetime", "bool"):
        typed = _typed_matches(column, cell, "=", value)
        if typed is not None:
            return typed
    return _text_matches(cell_texts(column, cell), value, whole=op == "=")


def matches(columns: Mapping[str, Column], row: Row, conditions: Sequence[Condition]) -> bool:
    """AND binds tighter than OR: the conditions split at each OR into terms, any term whose every
    condition holds lets the row through."""
    if not conditions:
        return True
    terms: list[list[Condition]] = [[]]
    for index, condition in enumerate(conditions):
        if index and condition.join == "or":
            terms.append([])
        terms[-1].append(condition)
    return any(all(condition_holds(columns, row, c) for c in term) for term in terms)


# --- order ------------------------------------------------------------------------------------------------


def sort_rows(rows: list[Row], columns: Mapping[str, Column], keys: Sequence[SortKey]) -> list[Row]:
    """Stable, by each key in turn (the last first); empty cells after the rest in either direction."""
    ordered = list(rows)
    for key in reversed(keys):
        column = columns[key.column]
        filled = [r for r in ordered if not empty_for_sort(column, r.get(column.key))]
        empty = [r for r in ordered if empty_for_sort(column, r.get(column.key))]
        filled.sort(key=lambda r, c=column: sort_value(c, r.get(c.key)), reverse=key.descending)  # type: ignore[misc]
        ordered = filled + empty
    return ordered


# --- groups -----------------------------------------------------------------------------------------------

def _group_value(column: Column, value: Any) -> Any:
    """What rows of one group share: numbers by value, dates by day, text without case."""
    if empty_for_sort(column, value):
        return None
    if column.kind == "number":
        return plain_number(as_number(value) or Decimal(0))
    if column.kind in ("date", "datetime"):
        moment = day_or_moment(value)
        return moment.date() if isinstance(moment, datetime) else moment
    if column.kind == "text":
        return str(value).casefold()
    return value


def _sums(rows: Sequence[Row], totals: Sequence[Column]) -> dict[str, int | float]:
    sums: dict[str, int | float] = {}
    for column in totals:
        total = sum((as_number(r.get(column.key)) or Decimal(0) for r in rows), Decimal(0))
        sums[column.key] = plain_number(total)
    return sums


def _groups(rows: list[Row], columns: Mapping[str, Column], by: Sequence[str], totals: Sequence[Column],
            shown: int, start: int) -> tuple[Group, ...]:
    """Rows already sorted by the group columns first: consecutive runs of one value form a group."""
    if not by:
        return ()
    column = columns[by[0]]
    out: list[Group] = []
    index = 0
    while index < len(rows):
        shared = _group_value(column, rows[index].get(column.key))
        end = index
        while end < len(rows) and _group_value(column, rows[end].get(column.key)) == shared:
            end += 1
        members = rows[index:end]
        first = start + index
        visible = max(0, min(shown, first + len(members)) - first)
        out.append(Group(column.key, members[0].get(column.key) if shared is not None else None, len(members),
                         _sums(members, totals), _groups(members, columns, by[1:], totals, shown, first),
                         first=first, shown=visible))
        index = end
    return tuple(out)


def run(rows: Iterable[Row], columns: Sequence[Column], query: ListQuery,
        default_columns: Sequence[str] = (), default_sort: Sequence[SortKey] = ()) -> ListResult:
    """Filter, sort, group and cut the rows: the first `query.limit` in order, with the total."""
    by_key = {c.key: c for c in columns}
    for key in (*query.group_by, *(k.column for k in query.sort), *query.columns,
                *(c.field for c in query.conditions if c.field != ANY_FIELD)):
        if key not in by_key:
            raise QueryRejected({"columns": Message("list.unknown_column", {"field": key,
                                                                            "fields": field_names(columns)})})
    found = [r for r in rows if matches(by_key, r, query.conditions)]
    sort = list(query.sort or default_sort)
    group_keys = [next((k for k in sort if k.column == g), SortKey(g)) for g in query.group_by]
    keys = group_keys + [k for k in sort if k.column not in query.group_by]
    ordered = sort_rows(found, by_key, keys)
    limit = max(1, min(query.limit, LIMIT))
    shown_keys = query.columns or tuple(default_columns) or tuple(by_key)
    totals = [by_key[k] for k in shown_keys if by_key[k].kind == "number" and by_key[k].total]
    groups = _groups(ordered, by_key, query.group_by, totals, min(limit, len(ordered)), 0)
    return ListResult(rows=ordered[:limit], total=len(found), columns=tuple(by_key[k] for k in shown_keys),
                      groups=groups, query=query, all_columns=tuple(columns))


def describe(condition: Condition, columns: Sequence[Column], lang: str = "zh") -> str:
    """A condition as a person would say it back (for the export's heading)."""
    by_key = {c.key: c for c in columns}
    name = by_key[condition.field].header(lang) if condition.field in by_key else ANY_FIELD
    return f"{name} {condition.op} {condition.value}".strip()


def group_label(group: Group, columns: Mapping[str, Column], lang: str) -> str:
    column = columns[group.column]
    if lang == "en":
        return f"{column.header(lang)}: {cell_text(column, group.value, lang) or '(empty)'}"
    return f"{column.header(lang)}：{cell_text(column, group.value, lang) or '（空）'}"


def walk_groups(groups: Sequence[Group], level: int = 1) -> Iterable[tuple[int, Group]]:
    """Every group with its depth (1 = outermost), parents before their children."""
    for group in groups:
        yield level, group
        yield from walk_groups(group.groups, level + 1)


def lines(result: ListResult) -> list[tuple[str, int, Any]]:
    """The shown result as the lines of a grouped table: ("group", depth, Group) before a group's
    first shown row, then ("row", depth, row). Groups with no shown row are left out."""
    starts: dict[int, list[tuple[int, Group]]] = {}
    for level, group in walk_groups(result.groups):
        if group.shown:
            starts.setdefault(group.first, []).append((level, group))
    depth = len(result.query.group_by)
    out: list[tuple[str, int, Any]] = []
    for index, row in enumerate(result.rows):
        for level, group in starts.get(index, []):
            out.append(("group", level, group))
        out.append(("row", depth, row))
    return out


@dataclass(frozen=True)
class ListDefinition:
    """A list: its columns, which of them show and how it is sorted unless the reader says otherwise."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    default_columns: tuple[str, ...]
    default_sort: tuple[SortKey, ...] = ()
    # the rows one case gives (operations builds them; the domain only knows it is a function)
    rows_of: Callable[[Any], list[dict[str, Any]]] = field(default=lambda case: [], compare=False)

    def title(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh
