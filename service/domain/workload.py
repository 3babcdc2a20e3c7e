"""Rule 11: person-days from the coefficient table; the weekly report has the last word."""

from __future__ import annotations

from collections.abc import Iterable
from math import prod


def coefficient(factors: Iterable[float]) -> float:
    """The product of every factor the table matched (COLLECT); no match means 1."""
    values = [float(f) for f in factors]
    return round(prod(values), 4) if values else 1.0


def person_days(days: float | None, factor: float) -> float | None:
    return None if days is None else round(float(days) * factor, 2)


def final_figure(weekly_report_days: float, adjusted: float | None, accounted: float | None) -> dict[str, object]:
    """The signed weekly report decides; the difference to the assessment is kept for the record."""
    assessed = adjusted if adjusted is not None else accounted
    return {"final_person_days": float(weekly_report_days), "assessed_person_days": assessed,
            "difference": None if assessed is None else round(float(weekly_report_days) - float(assessed), 2)}
