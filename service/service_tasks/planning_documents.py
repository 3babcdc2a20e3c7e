"""Rule 6: the planning documents the decision table requires are attached or waived before the work starts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.planning_documents import attached, field_of, missing_documents

from .context import ServiceContext
from .registry import operation


def _codes(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"required_documents must be a list of document codes, got {value!r}")
    return [str(code) for code in value]


@operation("check_planning_documents", required=("required_documents",))
def check_planning_documents(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Which of the documents the decision table requires are still missing (neither attached nor waived)."""
    required = _codes(params["required_documents"])
    waived = [str(code) for code in ctx.data.get("waived_documents") or []]
    if ctx.documents is not None:
        for code in required:
            for reference in attached(code, ctx.data):
                ctx.documents.resolve(reference, field_of(code))  # an attachment must really exist
    missing = missing_documents(required, ctx.data, waived)
    return {"complete": not missing, "missing": missing, "waived": [code for code in required if code in waived]}
