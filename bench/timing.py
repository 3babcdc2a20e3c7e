"""Repeat, time, summarise: medians and p95 in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    unit: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "unit": self.unit, "n": len(self.samples),
                "median_ms": round(self.median, 3), "p95_ms": round(self.p95, 3)}


def measure(name: str, unit: str, action: Callable[[], int], repeat: int) -> Result:
    """`action` runs once and returns how many units it did; samples are ms per unit."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        units = action()
        samples.append((time.perf_counter() - started) * 1000 / max(units, 1))
    return Result(name, unit, samples)
