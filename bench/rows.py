"""What every benchmark row reports: the figure a target applies to, the target, and the raw numbers.

Rows B1–B8 are the issue's performance targets; each module in `bench/` measures some of them and
returns `Row`s, so `bench/run.py` only prints, judges and writes JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BenchSettings:
    root: Path  # the checkout: processes/ and forms/ of the real procedures
    quick: bool  # `--quick`: the whole run under two minutes, same rows, smaller sizes
    postgres_url: str | None  # a server to create scratch databases on; None: PostgreSQL rows are skipped
    progress: Callable[[str], None]  # one line per phase, on stderr

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass
class Row:
    id: str  # "B1" … "B8"
    measures: str  # what the figure is, in one line
    value: float | None  # the figure the target applies to; None when the row could not run
    shown: str  # the figure as read, e.g. "0.31 (12.1 vs 39.0 cases/s)"
    target: str  # e.g. "≥ 0.25"
    passed: bool | None  # None: not run (the reason is in `shown`)
    details: dict[str, Any] = field(default_factory=dict)  # raw figures and samples for the JSON

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "SKIP"}[self.passed]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "measures": self.measures, "value": self.value, "shown": self.shown,
                "target": self.target, "verdict": self.verdict, "details": self.details}


def at_least(value: float, bound: float) -> bool:
    return value >= bound


def at_most(value: float, bound: float) -> bool:
    return value <= bound


def skipped(row_id: str, measures: str, target: str, why: str) -> Row:
    return Row(row_id, measures, None, why, target, None)
