"""A case's business key: what people call the case (customer / project / contract; a dispatch order's
serial number too, so an order is found by the unit it serves)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEY_FIELDS = ("contract_no", "customer", "project", "serial_no")


def derive_business_key(data: Mapping[str, Any]) -> str:
    parts = [str(data[k]).strip() for k in KEY_FIELDS if str(data.get(k) or "").strip()]
    return " / ".join(parts)


def with_contract_no(key: str, data: Mapping[str, Any]) -> str:
    """The key with the case's contract number in front once it has one: a contract approval is numbered
    only when approved, and from then on people find the case by that number."""
    number = str(data.get("contract_no") or "").strip()
    if not number or number in key:
        return key
    return f"{number} / {key}"[:256] if key else number[:256]
