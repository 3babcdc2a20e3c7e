"""A case's business key: what people call the case (customer / project / contract; a dispatch order's
serial number too, so an order is found by the unit it serves)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEY_FIELDS = ("contract_no", "customer", "project", "serial_no")


def derive_business_key(data: Mapping[str, Any]) -> str:
    parts = [str(data[k]).strip() for k in KEY_FIELDS if str(data.get(k) or "").strip()]
    return " / ".join(parts)
