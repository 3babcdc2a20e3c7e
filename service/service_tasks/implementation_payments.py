"""Payment collection (回款): the project manager owns it until the contract amount has come in.

Seed 001 makes collecting the money one of the project manager's four duties (负责项目回款). Finance
records each payment as it arrives; the collection runs in rounds until nothing is outstanding, and the
reminders chase the project manager meanwhile. A payment above what is still owed is refused as the
person's input (a field error on the amount), so the outstanding amount never goes below zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.errors import InputRejected
from service.domain.messages import Message

from .context import ServiceContext
from .registry import operation


def _yuan(value: Any) -> float:
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        return 0.0


def _plain(amount: float) -> float | int:
    return int(amount) if amount == int(amount) else amount


@operation("implementation_payment", required=("amount_due", "payments", "payment_amount"),
           optional=("received_on", "doc_payment_voucher"))
def implementation_payment(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """`payments` with this one added, `paid_total` and `outstanding` (yuan) of the amount due."""
    payments = [dict(p) for p in params.get("payments") or [] if isinstance(p, Mapping)]
    due = _yuan(params.get("amount_due"))
    paid_before = round(sum(_yuan(p.get("amount")) for p in payments), 2)
    amount = _yuan(params.get("payment_amount"))
    outstanding_before = round(due - paid_before, 2)
    if amount <= 0 or amount > outstanding_before:
        raise InputRejected(Message("implementation.payment_amount",
                                    {"amount": _plain(amount), "outstanding": _plain(outstanding_before)}),
                            "payment_amount")
    payments.append({"amount": _plain(amount), "received_on": str(params.get("received_on") or ""),
                     "voucher": params.get("doc_payment_voucher"),
                     "recorded_at": ctx.now.astimezone(ctx.calendar.tz).isoformat()})
    paid = round(paid_before + amount, 2)
    return {"payments": payments, "paid_total": _plain(paid), "outstanding": _plain(round(due - paid, 2))}
