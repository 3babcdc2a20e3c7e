"""Service fees of a dispatch order (售服费用): free under warranty, otherwise from the fee table.

Why from the context: the fee table is master data the desk edits (`service_fee_items`); the step reads
it when it runs, and the log records the lines it produced, so a replay charges the same even after the
table changed. A fee item whose unit is an hour (小时) is charged per hour of work, any other once; an
item bound to a task type applies to orders of that type only. Parts the order consumed (its material
balance) are charged at their price when the service is paid, if the parts table knows the price.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

HOUR_UNITS = frozenset({"小时", "hour", "hours", "h", "工时"})


def _fen(value: Any) -> int:
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return 0


@operation("after_sales_fees", required=("warranty_decision",), optional=("task_type", "labour_hours"))
def after_sales_fees(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """`fees` lines (code, name, quantity, amount in yuan), `fee_total` and `fee_free` for the order."""
    if params["warranty_decision"] == "covered":
        return {"fees": [], "fee_total": 0, "fee_free": True}
    task_type = str(params.get("task_type") or "")
    try:
        hours = max(0.0, float(params.get("labour_hours") or 0))
    except (TypeError, ValueError):
        hours = 0.0
    lines, total_fen = [], 0
    for item in ctx.fee_items():
        if item.get("task_type") not in (None, "", task_type):
            continue
        quantity = hours if str(item.get("unit") or "").strip().lower() in HOUR_UNITS else 1
        if quantity <= 0:
            continue
        amount_fen = _fen(_fen(item.get("amount_fen")) * quantity)
        total_fen += amount_fen
        lines.append({"code": item.get("code"), "name": item.get("name_zh") or item.get("code"),
                      "name_en": item.get("name_en") or "", "quantity": quantity if quantity != int(quantity)
                      else int(quantity), "amount": amount_fen / 100})
    return {"fees": lines, "fee_total": total_fen / 100, "fee_free": False}
