"""What the diagram viewer of a page is given: the BPMN's address and the case's path to paint on it."""

from __future__ import annotations

from typing import Any

from flask import url_for


def diagram_config(process_id: str, version: int, state: dict[str, Any],
                   current: list[str] | None = None) -> dict[str, object]:
    """`state` is a case's path (operations.diagram_path); an unstarted case has none, so no position."""
    current = current or []
    active = [e for e in state.get("active", []) if e not in current]
    return {"url": url_for("web.diagram", process_id=process_id, version=version), "current": current,
            "completed": state.get("completed", []), "active": active, "cancelled": state.get("cancelled", []),
            "flows": state.get("flows", []), "passes": state.get("passes", {}),
            "started": bool(current or active or state.get("completed"))}
