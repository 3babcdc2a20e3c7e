"""Materials of a dispatch order (售服材料): requisitions (领用) and returns (退料), and the balance per part.

Why the lines are stamped here: the service-work form takes new lines (`material_lines`) each visit; this
step adds them to the order's `materials` with when and by whom, so the running balance covers every
visit of the order. A return larger than what the order requisitioned of that part is refused as a field
error on the submission — the balance is never negative and nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.domain.errors import InputRejected
from service.domain.messages import Message

from .context import ServiceContext
from .registry import operation

MOVEMENTS = ("requisition", "return")
LINES_FIELD = "material_lines"


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number


def _tidy(number: float) -> int | float:
    return int(number) if float(number).is_integer() else round(number, 3)


def balance_of(materials: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per material no., in the order first met: requisitioned, returned and their difference."""
    lines: dict[str, dict[str, Any]] = {}
    for movement in materials:
        key = str(movement.get("material_no") or "").strip()
        line = lines.setdefault(key, {"material_no": key, "name": str(movement.get("name") or ""),
                                      "requisitioned": 0.0, "returned": 0.0})
        line["name"] = line["name"] or str(movement.get("name") or "")
        side = "requisitioned" if movement.get("movement") == "requisition" else "returned"
        line[side] += _number(movement.get("quantity"))
    return [{**line, "requisitioned": _tidy(line["requisitioned"]), "returned": _tidy(line["returned"]),
             "balance": _tidy(line["requisitioned"] - line["returned"])} for line in lines.values()]


@operation("after_sales_record_materials", optional=("material_lines", "materials", "by"))
def after_sales_record_materials(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The order's movements with this visit's lines added (stamped now, by the engineer); a return beyond
    what was requisitioned is refused."""
    recorded = [dict(m) for m in params.get("materials") or [] if isinstance(m, Mapping)]
    stamp, by = ctx.now.astimezone(ctx.calendar.tz).isoformat(), str(params.get("by") or "")
    for index, line in enumerate(params.get("material_lines") or []):
        if not isinstance(line, Mapping):
            continue
        quantity = _number(line.get("quantity"))
        material_no = str(line.get("material_no") or "").strip()
        if line.get("movement") not in MOVEMENTS or not material_no or quantity <= 0:
            raise InputRejected(Message("after_sales.material_line", {"line": index + 1}), LINES_FIELD)
        recorded.append({"material_no": material_no, "name": str(line.get("name") or "").strip(),
                         "quantity": _tidy(quantity), "movement": line["movement"], "at": stamp, "by": by})
    for line in balance_of(recorded):
        if line["balance"] < 0:
            raise InputRejected(Message("after_sales.return_exceeds", {
                "material_no": line["material_no"], "returned": line["returned"],
                "requisitioned": line["requisitioned"]}), LINES_FIELD)
    return recorded


@operation("after_sales_material_balance", optional=("materials",))
def after_sales_material_balance(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Requisitioned, returned and balance per part of the order (requisition 2, return 1 → balance 1)."""
    return balance_of([m for m in params.get("materials") or [] if isinstance(m, Mapping)])
