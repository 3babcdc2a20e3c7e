"""Deadlines counted in working days with the procedure's noon rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.adapters.clock import parse_instant

from .context import ServiceContext
from .registry import operation


@operation("working_day_deadline", required=("days_before_noon", "days_after_noon"), optional=("received_at",))
def working_day_deadline(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """End of working day N from a receipt time (default: now), N by the noon column."""
    received = params.get("received_at")
    received_at = parse_instant(str(received), ctx.now.tzinfo) if received else ctx.now  # type: ignore[arg-type]
    deadline = ctx.calendar.deadline_by_noon_rule(
        received_at, int(params["days_before_noon"]), int(params["days_after_noon"])
    )
    return deadline.isoformat()
