"""Message catalogue: one customer across every procedure (the customer page)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "customer.not_found": "没有您可以查看的客户「{customer}」的案例",
    "customer.bad_name": "客户名称不能使用",
}

EN: dict[str, str] = {
    "customer.not_found": "no case of the customer “{customer}” that you may see",
    "customer.bad_name": "the customer name cannot be used",
}
