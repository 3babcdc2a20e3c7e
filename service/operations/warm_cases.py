"""Cases kept loaded between their steps, valid for exactly the revision they were stored at.

Why: turning a case's stored JSON back into engine objects is a good part of a step's cost, and the
case a person has just worked on is usually the next one to move. After a step commits, its workflow
stays here under the revision the commit wrote; the next step of that case takes it out if the case is
still at that revision — any other writer bumps the revision (it is the row's optimistic lock), so a
stale copy is never used. Taking removes the entry: a step that fails half-way cannot leave a
half-run workflow behind. Each process has its own cache; nothing here is shared between processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

DEFAULT_SIZE = 64


class WarmCases:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, case_id: int, revision: int) -> Any | None:
        """The case's workflow at `revision`, removed from the cache; None when it is not here as of then."""
        with self._lock:
            entry = self._entries.pop(case_id, None)
        if entry is None or entry[0] != revision:
            return None
        return entry[1]

    def keep(self, case_id: int, revision: int, workflow: Any) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._entries.pop(case_id, None)
            self._entries[case_id] = (revision, workflow)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def forget(self, case_id: int) -> None:
        with self._lock:
            self._entries.pop(case_id, None)

    def __len__(self) -> int:
        return len(self._entries)
