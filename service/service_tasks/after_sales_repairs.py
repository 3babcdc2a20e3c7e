"""Repairs counted per serial number across dispatch orders, and the facts the replacement table needs.

Why across orders: "repaired twice by the company and still failing → replace with the same model" is
about the unit, not one visit; every earlier order of the serial number (read through the service
context, never from the database here) that repaired the same fault (`fault_code`) counts. The 60-day
and 90-day rules count days: since the request, and since the engineer first said the order waits for
the maker's parts. The order is checked again when one of them can next apply, or after a month.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from service.adapters.clock import parse_instant

from .context import ServiceContext
from .registry import operation

RECHECK = timedelta(days=30)


def _same(a: Any, b: Any) -> bool:
    return str(a or "").strip().lower() == str(b or "").strip().lower()


@operation("after_sales_repair_history", required=("serial_no",), optional=("fault_code",))
def after_sales_repair_history(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Earlier orders of this serial number that repaired this fault: their count and order numbers."""
    serial, fault = str(params.get("serial_no") or ""), params.get("fault_code")
    repairs = [order for order in ctx.orders_of_serial(serial)
               if order["data"].get("repaired") is True and _same(order["data"].get("fault_code"), fault)
               and order["data"].get("status") != "voided"]
    return {"repairs_before": len(repairs),
            "orders": [str(o["data"].get("order_no") or o["id"]) for o in repairs],
            "orders_of_serial": len(ctx.orders_of_serial(serial))}


def _at(ctx: ServiceContext, value: Any) -> datetime | None:
    return parse_instant(str(value), ctx.calendar.tz) if value else None


@operation("after_sales_replacement_facts", required=("requested_at",),
           optional=("waiting_maker_parts", "maker_parts_since"))
def after_sales_replacement_facts(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Days since the request, whether and since when the order waits for the maker's parts, days waited."""
    requested = _at(ctx, params["requested_at"]) or ctx.now
    waiting = bool(params.get("waiting_maker_parts"))
    since = _at(ctx, params.get("maker_parts_since")) if waiting else None
    if waiting and since is None:
        since = ctx.now
    return {"days_since_request": (ctx.now - requested).days,
            "waiting_maker_parts": waiting,
            "maker_parts_since": since.astimezone(ctx.calendar.tz).isoformat() if since else "",
            "days_waiting_maker_parts": (ctx.now - since).days if since else 0}


@operation("after_sales_replacement_check_at", required=("requested_at", "repair_limit_days",
                                                         "maker_parts_limit_days"),
           optional=("warranty_decision", "maker_parts_since"))
def after_sales_replacement_check_at(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """When the replacement table is asked again while the unit is not repaired: the first moment the
    60-day rule (under warranty) or the 90-day rule (waiting for the maker's parts) can apply, else in a month."""
    candidates = []
    requested = _at(ctx, params["requested_at"]) or ctx.now
    if params.get("warranty_decision") == "covered":
        candidates.append(requested + timedelta(days=int(params["repair_limit_days"])))
    since = _at(ctx, params.get("maker_parts_since"))
    if since is not None:
        candidates.append(since + timedelta(days=int(params["maker_parts_limit_days"])))
    future = [c for c in candidates if c > ctx.now]
    return (min(future) if future else ctx.now + RECHECK).astimezone(ctx.calendar.tz).isoformat()
