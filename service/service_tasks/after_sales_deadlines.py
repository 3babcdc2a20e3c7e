"""After-sales deadlines on the elapsed-hours clock: on site within 24 h, fixed within 48 h of the request.

Why not working days: the service promise (24小时内服务上门) counts hours around the clock, nights and
holidays included, unlike the technical-support deadlines; `after_sales_deadlines.dmn` says which clock
each deadline uses and gives the hours, this operation only adds them to the request time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from service.adapters.clock import parse_instant

from .context import ServiceContext
from .registry import operation


def _positive_hours(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return "expected a positive number of hours, e.g. 24"
    return None


@operation("elapsed_hours_deadline", required=("start", "hours"), checks={"hours": _positive_hours})
def elapsed_hours_deadline(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The instant N elapsed hours (nights and holidays counted) after `start` (default: now)."""
    hours = params["hours"]
    problem = _positive_hours(hours)
    if problem:
        raise ValueError(f"elapsed_hours_deadline: hours {hours!r}: {problem}")
    start = parse_instant(str(params["start"]), ctx.calendar.tz) if params.get("start") else ctx.now
    return (start.astimezone(ctx.calendar.tz) + timedelta(hours=float(hours))).isoformat()


@operation("after_sales_order_no", optional=("received_at",))
def after_sales_order_no(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The dispatch order's number: PG + year and month received + the case number, e.g. PG202609-0007."""
    received = parse_instant(str(params["received_at"]), ctx.calendar.tz) if params.get("received_at") else ctx.now
    return f"PG{received.astimezone(ctx.calendar.tz):%Y%m}-{ctx.instance_id or 0:04d}"
