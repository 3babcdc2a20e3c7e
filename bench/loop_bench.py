"""(being written)"""

from __future__ import annotations

from .rows import BenchSettings, Row


def run(settings: BenchSettings) -> list[Row]:
    return []
