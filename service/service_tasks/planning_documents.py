"""Rule 6: the planning documents are attached or waived before the work starts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.planning_documents import DOCUMENT_LABELS, missing_documents, required_documents

from .context import ServiceContext
from .registry import operation


@operation("check_planning_documents", required=("support_kind",))
def check_planning_documents(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Which required documents are still missing (neither attached nor waived)."""
    kind = str(params["support_kind"])
    waived = ctx.data.get("waived_documents") or []
    for name in required_documents(kind):
        reference = ctx.data.get(f"doc_{name}")
        if reference and ctx.documents is not None:
            ctx.documents.resolve(str(reference), f"doc_{name}")  # an attachment must really exist
    missing = missing_documents(kind, ctx.data, waived)
    return {"complete": not missing, "missing": missing, "missing_labels": [DOCUMENT_LABELS[m] for m in missing],
            "waived": sorted(set(waived) & set(required_documents(kind)))}
