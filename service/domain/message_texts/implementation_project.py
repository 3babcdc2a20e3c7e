"""Message catalogue: the implementation project (payment collection)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "implementation.payment_amount": "回款金额 {amount} 元须大于 0，且不超过未回款金额 {outstanding} 元",
}

EN: dict[str, str] = {
    "implementation.payment_amount": "the payment of {amount} yuan must be above 0 and no more than the "
                                     "{outstanding} yuan outstanding",
}
