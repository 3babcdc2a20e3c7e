"""Pending-parts release (欠件放行): the parts an order still owes its customer when it is released.

Why a list of its own: the order may go back to the customer before every part has arrived; each owed
part is then tracked (one delivery task each, in turn, with its own daily reminder) until delivered, and the order
closes only when none is owed. The service-work form takes the lines (`owed_part_lines`); this step
turns them into `owed_parts` entries with a status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.errors import InputRejected
from service.domain.messages import Message

from .context import ServiceContext
from .registry import operation


@operation("after_sales_owed_parts", optional=("owed_part_lines", "owed_parts"))
def after_sales_owed_parts(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The order's owed parts: those recorded before, and this visit's lines as owed."""
    owed = [dict(p) for p in params.get("owed_parts") or [] if isinstance(p, Mapping)]
    for index, line in enumerate(params.get("owed_part_lines") or []):
        if not isinstance(line, Mapping):
            continue
        material_no = str(line.get("material_no") or "").strip()
        try:
            quantity = float(line.get("quantity") or 0)
        except (TypeError, ValueError):
            quantity = 0
        if not material_no or quantity <= 0:
            raise InputRejected(Message("after_sales.owed_part_line", {"line": index + 1}), "owed_part_lines")
        owed.append({"material_no": material_no, "name": str(line.get("name") or "").strip(),
                     "quantity": int(quantity) if quantity == int(quantity) else quantity, "status": "owed",
                     "due": str(line.get("due") or ""), "delivered_at": None})
    return owed


@operation("after_sales_parts_owed", optional=("owed_parts",))
def after_sales_parts_owed(ctx: ServiceContext, params: Mapping[str, Any]) -> int:
    """How many owed-part lines are not yet delivered."""
    return sum(1 for p in params.get("owed_parts") or [] if isinstance(p, Mapping) and p.get("status") != "delivered")


@operation("after_sales_part_delivered", required=("owed_parts", "owed_part", "delivered_on"))
def after_sales_part_delivered(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The owed parts with this one (the first still-owed line equal to it) marked delivered on that day."""
    lines = [dict(p) for p in params.get("owed_parts") or [] if isinstance(p, Mapping)]
    found = params.get("owed_part")
    part = dict(found) if isinstance(found, Mapping) else {}
    for line in lines:
        if line.get("status") != "delivered" and line == part:
            line.update(status="delivered", delivered_at=str(params.get("delivered_on") or "")
                        or ctx.now.astimezone(ctx.calendar.tz).date().isoformat())
            break
    return lines
