"""What a case search asks for, read from text (a query string, the command line) and checked field by field.

Pure rules, so the API, the pages and the CLI read the same words the same way: `*` in a text
field stands for any run of characters; `%` and `_`, which SQL LIKE would treat as wildcards, are
what they look like; dates are days in the company's time zone; sort columns come from a whitelist
and paging is bounded. SQL is built from the checked `CaseQuery` in operations.case_search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from . import task_cursor
from .input_limits import text_problem
from .messages import Message

TABS = ("todo", "done", "started", "copied", "all")
STATUSES = ("running", "error", "completed", "cancelled")
SORTS = ("started_at", "updated_at", "id", "business_key", "process", "status", "due")
# per sort, what a case list's keyset cursor holds (operations/case_search.py orders by the same tuple):
# the sorted value and the case id; for `due`, first whether the case has no open deadline (those last)
CASE_KEY_KINDS: dict[str, tuple[str, ...]] = {
    "started_at": ("time", "id"), "updated_at": ("time", "id"), "id": ("id",), "business_key": ("text", "id"),
    "process": ("text", "id"), "status": ("text", "id"), "due": ("flag", "time", "id")}
ORDERS = ("asc", "desc")
DESCENDING_FIRST = frozenset({"started_at", "updated_at", "id"})  # newest first unless asked otherwise
PER_PAGE = 25
PER_PAGE_MAX = 200
PAGE_MAX = 100_000
KEY_MAX = 100
NAME_MAX = 128
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)  # a day after it still fits every datetime
LIKE_ESCAPE = "\\"
WILDCARD = "*"
_DIGITS = re.compile(r"[0-9]{1,9}")
_NAME = re.compile(r"[A-Za-z0-9_.@-]+")
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"", "0", "false", "no", "off"})
# query-string names of the fields (`from`/`to` are Python keywords)
ARGUMENT_OF = {"started_from": "from", "started_to": "to"}


class QueryRejected(ValueError):
    """Per-field problems: {query argument name: message}."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class CaseQuery:
    tab: str = ""  # "" = the viewer's default tab
    process: str = ""
    status: str = ""
    key: str = ""  # business key or customer; `*` wildcards
    starter: str = ""
    holder: str = ""  # assignee of an open task
    started_from: date | None = None
    started_to: date | None = None  # inclusive
    overdue: bool = False
    sort: str = "started_at"
    order: str = "desc"
    page: int = 1  # the page's number as shown; with `after` it only says which page this is
    per_page: int = PER_PAGE
    after: str = ""  # the keyset cursor of the previous page's last case (see CASE_KEY_KINDS)

    def arguments(self, **changes: object) -> dict[str, str]:
        """The query-string arguments that say this query (defaults left out), with some changed."""
        return query_arguments(replace(self, **changes), ARGUMENT_OF, default_order)  # type: ignore[arg-type]


def query_arguments(query: Any, renamed: Mapping[str, str], order_of: Callable[[str], str]) -> dict[str, str]:
    """A search query (a dataclass with `sort` and `order`) as the query string that says it: defaults,
    and the sort's own default order, left out; one place for the case list and the audit search."""
    out: dict[str, str] = {}
    for f in fields(query):
        value = getattr(query, f.name)
        if value == (order_of(query.sort) if f.name == "order" else f.default):
            continue
        out[renamed.get(f.name, f.name)] = "1" if value is True else value.isoformat() if isinstance(value, date) \
            else str(value)
    return out


def default_order(sort: str) -> str:
    return "desc" if sort in DESCENDING_FIRST else "asc"


def like_pattern(text: str) -> str:
    """The LIKE pattern (escape character `LIKE_ESCAPE`) for what a person typed.

    With a `*` the pattern covers the whole value (`欧*` = starts with 欧); without one the text is
    looked for anywhere in the value. Every other character, `%` and `_` included, stands for itself.
    """
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace(
        "_", LIKE_ESCAPE + "_")
    if WILDCARD in escaped:
        return re.sub(r"\*+", "%", escaped)
    return f"%{escaped}%"


def _one_line(value: str, max_length: int) -> Message | None:
    return text_problem(value, max_length=max_length, single_line=True)


def _choice(value: str, allowed: tuple[str, ...]) -> Message | None:
    if value in allowed:
        return None
    return Message("search.choice", {"value": value[:40], "allowed": ", ".join(allowed)})


def _name(value: str) -> Message | None:
    problem = _one_line(value, NAME_MAX)
    if problem is None and not _NAME.fullmatch(value):
        problem = Message("search.name", {"value": value[:40]})
    return problem


def _day(value: str) -> tuple[date | None, Message | None]:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        return None, Message("search.not_a_day", {"value": value[:40]})
    if not FIRST_DAY <= day <= LAST_DAY:
        return None, Message("search.day_range", {"value": value, "first": str(FIRST_DAY), "last": str(LAST_DAY)})
    return day, None


def _number(value: str, highest: int) -> tuple[int, Message | None]:
    number = int(value) if _DIGITS.fullmatch(value) else 0
    if 1 <= number <= highest:
        return number, None
    return 1, Message("search.number", {"value": value[:40], "max": highest})


def read_query(args: Mapping[str, str]) -> CaseQuery:
    """The query the arguments ask for; QueryRejected naming every argument that is wrong.

    Arguments that are no filter (`format`, `lang`, …) are left to the caller.
    """
    errors: dict[str, Message] = {}
    values: dict[str, object] = {}

    def text(name: str) -> str:
        return str(args.get(name) or "").strip()

    for name, allowed in (("tab", TABS), ("status", STATUSES), ("sort", SORTS), ("order", ORDERS)):
        value = text(name)
        if value:
            problem = _choice(value, allowed)
            if problem:
                errors[name] = problem
            else:
                values[name] = value
    for name in ("process", "starter", "holder"):
        value = text(name)
        if value:
            problem = _name(value)
            if problem:
                errors[name] = problem
            else:
                values[name] = value
    key = text("key")
    problem = _one_line(key, KEY_MAX)
    if problem:
        errors["key"] = problem
    else:
        values["key"] = key
    for field_name, name in ARGUMENT_OF.items():
        if text(name):
            day, problem = _day(text(name))
            if problem:
                errors[name] = problem
            values[field_name] = day
    overdue = text("overdue").lower()
    if overdue not in _TRUE | _FALSE:
        errors["overdue"] = Message("search.overdue", {"value": overdue[:40]})
    values["overdue"] = overdue in _TRUE
    for name, highest in (("page", PAGE_MAX), ("per_page", PER_PAGE_MAX)):
        if text(name):
            number, problem = _number(text(name), highest)
            if problem:
                errors[name] = problem
            values[name] = number
    sort = str(values.get("sort") or CaseQuery.sort)
    after = text("after")
    if after:
        try:
            task_cursor.decode(after, sort, CASE_KEY_KINDS)
            values["after"] = after
        except task_cursor.CursorRejected as exc:
            errors["after"] = exc.message
    start, end = values.get("started_from"), values.get("started_to")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        errors["to"] = Message("search.end_before_start", {"start": str(start), "end": str(end)})
    if errors:
        raise QueryRejected(errors)
    values.setdefault("order", default_order(sort))
    return CaseQuery(**values)  # type: ignore[arg-type]
