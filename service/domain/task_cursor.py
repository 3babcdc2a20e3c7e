"""Where a page ends: the keyset cursor of the inbox, `GET /api/v1/tasks` and the case lists.

Why a cursor and not a page number: `OFFSET 40000` makes the database read and throw away forty
thousand rows, and a task completed between two requests shifts every later page by one (a task
skipped or shown twice). A cursor names the sort position of the last task shown; the next page
starts strictly after it, so each task appears once however the list changes between pages.

The cursor is opaque to clients (base64url of a small JSON array) but holds no secret: only a sort
position. Whoever sends it still sees only their own tasks — the list's access rule is applied to
every page, the cursor only says where to start. Pure rules: the SQL lives in operations.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .messages import Message

VERSION = 1
LIMIT_DEFAULT = 50
LIMIT_MAX = 200
CURSOR_MAX = 1_500  # characters: a task name of 256 Chinese characters makes the longest (about 1,100)
# per sort of the open-task lists: what each position value is, in order (the sort's SQL builds the same tuple)
KEY_KINDS: dict[str, tuple[str, ...]] = {
    "due": ("time?", "id"),  # deadline (none for the tasks without one: they come last), task id
    "created": ("time", "id"),
    "name": ("text", "flag", "time", "id"),  # name, no deadline?, deadline (a stand-in when none), id
}


class CursorRejected(ValueError):
    """The argument named in `argument` is not a cursor (or limit) this list understands."""

    def __init__(self, argument: str, message: Message):
        super().__init__(f"{argument}: {message}")
        self.argument = argument
        self.message = message


@dataclass(frozen=True)
class Cursor:
    sort: str
    segment: int  # for `due`: 0 = tasks with a deadline, 1 = those without
    keys: tuple[Any, ...]


def encode(cursor: Cursor) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in cursor.keys]
    raw = json.dumps([VERSION, cursor.sort, cursor.segment, values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def _refused(detail: str) -> CursorRejected:
    return CursorRejected("after", Message("task_page.bad_cursor", {"detail": detail}))


def decode(text: str, sort: str, kinds_of: Mapping[str, tuple[str, ...]] = KEY_KINDS) -> Cursor:
    """The cursor of `text` for a list sorted by `sort` (whose position values are `kinds_of[sort]`);
    CursorRejected (naming `after`) when it is not one."""
    if len(text) > CURSOR_MAX:
        raise _refused(f"longer than {CURSOR_MAX} characters")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _refused("not a cursor of this list") from None
    if not (isinstance(data, list) and len(data) == 4 and data[0] == VERSION and isinstance(data[2], int)
            and isinstance(data[3], list)):
        raise _refused("not a cursor of this list")
    if data[1] != sort:
        raise _refused(f"made for the sort {str(data[1])[:20]}, not {sort}")
    kinds = kinds_of[sort]
    if len(data[3]) != len(kinds) or data[2] not in (0, 1):
        raise _refused("not a cursor of this list")
    return Cursor(sort, data[2], tuple(_value(kind, value, data[2]) for kind, value in zip(kinds, data[3],
                                                                                         strict=True)))


def _value(kind: str, value: Any, segment: int) -> Any:
    if kind == "id" or kind == "flag":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
            return value
    elif kind == "text":
        if isinstance(value, str) and len(value) <= 256:
            return value
    elif kind == "time?" and value is None and segment == 1:
        return None
    elif kind in ("time", "time?") and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise _refused("not a cursor of this list")


def read_limit(text: str | None) -> int:
    """How many tasks a page holds: LIMIT_DEFAULT unless asked, at most LIMIT_MAX."""
    if text is None or text == "":
        return LIMIT_DEFAULT
    if text.isascii() and text.isdigit() and 1 <= int(text) <= LIMIT_MAX:
        return int(text)
    raise CursorRejected("limit", Message("task_page.bad_limit", {"value": text[:20], "max": LIMIT_MAX}))
