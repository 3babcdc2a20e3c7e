"""Repeat, time, summarise: medians and p95 in milliseconds, and interleaved pairs for ratios.

A ratio between two figures timed minutes apart on a shared machine measures the machine as much as
the code; `interleaved` alternates the two actions sample by sample so both see the same load."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
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
        return percentile(self.samples, 0.95)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "unit": self.unit, "n": len(self.samples),
                "median_ms": round(self.median, 3), "p95_ms": round(self.p95, 3)}


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(action: Callable[[], int]) -> float:
    """ms per unit for one run of `action`, which returns how many units it did."""
    started = time.perf_counter()
    units = action()
    return (time.perf_counter() - started) * 1000 / max(units, 1)


def measure(name: str, unit: str, action: Callable[[], int], repeat: int) -> Result:
    """`action` runs once and returns how many units it did; samples are ms per unit."""
    return Result(name, unit, [timed(action) for _ in range(repeat)])


def interleaved(first: Callable[[], int], second: Callable[[], int], rounds: int,
                warmup: int = 1) -> tuple[list[float], list[float]]:
    """ms per unit of each action, alternating first/second every round (after `warmup` untimed rounds)."""
    for _ in range(warmup):
        first()
        second()
    a, b = [], []
    for n in range(rounds):
        if n % 2:  # alternate which goes first, so neither always runs on a warmer cache
            b.append(timed(second))
            a.append(timed(first))
        else:
            a.append(timed(first))
            b.append(timed(second))
    return a, b


def median_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """The median of the per-round ratios of two interleaved sample lists."""
    return statistics.median(n / d for n, d in zip(numerator, denominator, strict=True) if d > 0)
