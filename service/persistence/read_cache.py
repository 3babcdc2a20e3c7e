"""Reference data kept between sessions for as long as the system chain's head stays the same.

The calendar, the people and their roles change rarely, and every change appends to the system audit
chain in its own transaction (`audit.system_marker`). A step that needs them — a deadline, a mail's
recipients, a picker's options — would otherwise read whole tables each time; with the head as the
marker it reads one row, and a change made by any server process is seen by the next session.
The cache lives with the process's `Database`, not in a module global.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy.orm import Session

from .audit import system_marker

T = TypeVar("T")


def while_unchanged(session: Session, name: Hashable, load: Callable[[], T]) -> T:
    shared = session.info.setdefault("shared", {})
    marker = system_marker(session)
    entry = shared.get(name)
    if entry is not None and entry[0] == marker:
        return entry[1]
    value = load()
    shared[name] = (marker, value)
    return value
