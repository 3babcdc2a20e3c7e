"""Page labels — 审计检索: auditors search every case's history by actor, event kind and changed field."""

from __future__ import annotations

ZH: dict[str, str] = {
    "audit.nav": "审计",
}

EN: dict[str, str] = {
    "audit.nav": "Audit",
}
