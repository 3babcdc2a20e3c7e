"""Rule 11: person-days from the coefficient table; the weekly report has the last word.

The coefficients in the table are placeholders: the seed's attachment (工作量核算系数原则) is lost, so the
process owner must replace them with the company's standard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import prod
from typing import Any


def coefficient(factors: Iterable[float]) -> float:
    """The product of every factor the table matched (COLLECT); no match means 1."""
    values = [float(f) for f in factors]
    return round(prod(values), 4) if values else 1.0


def by_dimension(dimensions: Sequence[Any], factors: Sequence[Any]) -> dict[str, float]:
    """Each dimension's coefficient; a dimension matched by several rules gets their product."""
    if dimensions and len(dimensions) != len(factors):
        raise ValueError(f"{len(dimensions)} dimensions for {len(factors)} coefficients: every rule of the "
                         "coefficient table needs both a dimension and a coefficient")
    result: dict[str, float] = {}
    for dimension, factor in zip(dimensions, factors, strict=False):
        result[str(dimension)] = round(result.get(str(dimension), 1.0) * float(factor), 4)
    return result


def person_days(days: float | None, factor: float) -> float | None:
    return None if days is None else round(float(days) * factor, 2)


def final_figure(weekly_report_days: float, adjusted: float | None, accounted: float | None) -> dict[str, object]:
    """The signed weekly report decides; the difference to the assessment is kept for the record."""
    assessed = adjusted if adjusted is not None else accounted
    return {"final_person_days": float(weekly_report_days), "assessed_person_days": assessed,
            "difference": None if assessed is None else round(float(weekly_report_days) - float(assessed), 2)}
