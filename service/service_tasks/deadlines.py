"""Working-day arithmetic for diagrams: noon column, end of working day N, the next working day, reminder times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from service.adapters.clock import parse_instant

from .context import ServiceContext
from .registry import operation


def received(ctx: ServiceContext, params: Mapping[str, Any]) -> datetime:
    value = params.get("received_at")
    return parse_instant(str(value), ctx.calendar.tz) if value else ctx.now


@operation("noon_rule", optional=("received_at",))
def noon_rule(ctx: ServiceContext, params: Mapping[str, Any]) -> bool:
    """True when received on a working day before 12:00 (or on a non-working day)."""
    return ctx.calendar.received_before_noon(received(ctx, params))


@operation("working_day_end", required=("day",), optional=("received_at",))
def working_day_end(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """End of working day N counted from the receipt time (day 1 = the receipt day)."""
    return ctx.calendar.end_of_working_day(received(ctx, params), int(params["day"])).isoformat()


@operation("reminder_time", required=("due", "hours_before"))
def reminder_time(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """When to remind before a deadline: N hours before it, but never in the past."""
    due = parse_instant(str(params["due"]), ctx.calendar.tz)
    remind = due - timedelta(hours=float(params["hours_before"]))
    return max(remind, ctx.now).isoformat()


@operation("working_day_deadline", required=("days_before_noon", "days_after_noon"), optional=("received_at",))
def working_day_deadline(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """End of working day N from a receipt time (default: now), N by the noon column."""
    deadline = ctx.calendar.deadline_by_noon_rule(
        received(ctx, params), int(params["days_before_noon"]), int(params["days_after_noon"]))
    return deadline.isoformat()


@operation("next_working_day_end", optional=("received_at",))
def next_working_day_end(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """End of the first working day after the day of receipt (default: now).

    Rule 9 gives sales "one working day from the day the mail is received" (收到…之日起在一工作日内回复) and
    the engineer "the next working day": the day of receipt is not counted, whatever the hour (no noon rule
    here), so a mail received on a working day is answered by the end of the next one. A mail received on a
    non-working day has no working day of receipt to skip; its one working day is the first one after it
    (Saturday → Monday), the same day as if it had arrived on the Friday before.
    """
    receipt_day = received(ctx, params).astimezone(ctx.calendar.tz).date()
    answer_day = ctx.calendar.next_workday_on_or_after(receipt_day + timedelta(days=1))
    return datetime.combine(answer_day, ctx.calendar.end_of_day, tzinfo=ctx.calendar.tz).isoformat()
