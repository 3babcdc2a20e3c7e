"""The dates facts the warranty (三包) table decides on, at the time the service was requested.

Why complete months: a period of "one year from first use" ends on the same date a year later, so a
request on 2026-09-30 for a unit first used 2025-10-01 is in its 12th month (11 complete months) and
covered, and one on 2026-10-01 is not (12 complete months). The table compares these counts with its
periods; an unknown date is -1 and never puts a unit out of period by itself (`dates_known` says
whether any date is known at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from service.adapters.clock import parse_instant
from service.domain.errors import InputRejected
from service.domain.messages import Message

from .context import ServiceContext
from .registry import operation

MAX_EXTENSION_YEARS = 3
PART_KINDS = ("whole_unit", "accessory")


def complete_months(since: date, at: date) -> int:
    """Complete calendar months from `since` to `at` (0 before the first month is over, negative before `since`)."""
    months = (at.year - since.year) * 12 + (at.month - since.month)
    return months - 1 if at.day < since.day else months


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputRejected(Message("after_sales.not_a_date", {"value": str(value)}), field) from None


@operation("after_sales_warranty_facts", required=("requested_at", "part_kind"),
           optional=("first_use_on", "ex_factory_on", "warranty_extension_years"))
def after_sales_warranty_facts(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Months and days since first use and since leaving the factory, part kind, extension years (0..3)."""
    requested = parse_instant(str(params["requested_at"]), ctx.calendar.tz).astimezone(ctx.calendar.tz).date()
    facts: dict[str, Any] = {"at": requested.isoformat(), "part_kind": str(params.get("part_kind") or "whole_unit")}
    if facts["part_kind"] not in PART_KINDS:
        raise InputRejected(Message("after_sales.unknown_part_kind", {"kind": facts["part_kind"]}), "part_kind")
    known = False
    for name in ("first_use", "ex_factory"):
        since = _date(params.get(f"{name}_on"), f"{name}_on")
        known = known or since is not None
        facts[f"months_since_{name}"] = complete_months(since, requested) if since else -1
        facts[f"days_since_{name}"] = (requested - since).days if since else -1
    facts["dates_known"] = known
    try:
        years = int(params.get("warranty_extension_years") or 0)
    except (TypeError, ValueError):
        years = 0
    facts["extension_years"] = max(0, min(MAX_EXTENSION_YEARS, years))
    return facts
