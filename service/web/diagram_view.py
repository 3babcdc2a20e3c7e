"""What the diagram viewer of a page is given: the BPMN's address and the state to paint on it."""

from __future__ import annotations

from flask import url_for


def diagram_config(process_id: str, version: int, state: dict[str, list[str]],
                   current: list[str] | None = None) -> dict[str, object]:
    return {"url": url_for("web.diagram", process_id=process_id, version=version), "current": current or [],
            "completed": state["completed"], "active": [e for e in state["active"] if e not in (current or [])]}
