"""The change log of an implementation project: every change request the customer submitted, and how it ended.

Seed 001 tells two kinds of user change apart: a requirement change alters the project's goal or its
solution and goes the formal way (consolidated by the customer, agreed inside the customer, submitted to
the project manager, its cost and schedule impact assessed in writing, signed by the customer); mere
dissatisfaction with how the software does something changes neither and is handled apart, without a
signature. The log keeps both, so the documents show how the requirements evolved (「反映需求如何慢慢演
变的历史」) and a signed change is the evidence for a delay it caused. A round's fields are read only if
that round's path set them: a change that contradicted no memo carries no re-signed memo from an
earlier round.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

KINDS = ("change", "dissatisfaction")


def _number(value: Any) -> float | int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(number) if number == int(number) else number


@operation("implementation_record_change", required=("change_log", "change_kind", "change_title"),
           optional=("change_description", "consolidated_by", "doc_change_request", "contradicts_memo",
                     "contradicted_memo", "doc_resigned_memo", "cost_impact", "schedule_impact_days",
                     "impact_summary", "doc_impact_assessment", "change_signed", "doc_signed_change",
                     "dissatisfaction_handling"))
def implementation_record_change(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The change log with this request appended: a signed or withdrawn change, or handled dissatisfaction."""
    log = [dict(r) for r in params.get("change_log") or [] if isinstance(r, Mapping)]
    kind = str(params.get("change_kind") or "")
    if kind not in KINDS:
        raise ValueError(f"unknown change kind '{kind}' (known: {', '.join(KINDS)})")
    entry: dict[str, Any] = {"change_no": len(log) + 1, "kind": kind, "title": str(params.get("change_title") or ""),
                             "description": str(params.get("change_description") or ""),
                             "consolidated_by": str(params.get("consolidated_by") or ""),
                             "doc_change_request": params.get("doc_change_request"),
                             "recorded_at": ctx.now.astimezone(ctx.calendar.tz).isoformat()}
    if kind == "dissatisfaction":
        entry.update(outcome="handled", handling=str(params.get("dissatisfaction_handling") or ""))
        log.append(entry)
        return log
    contradicts = params.get("contradicts_memo") == "yes"
    signed = params.get("change_signed") == "sign"
    entry.update(outcome="signed" if signed else "withdrawn", cost_impact=_number(params.get("cost_impact")),
                 schedule_impact_days=_number(params.get("schedule_impact_days")),
                 impact_summary=str(params.get("impact_summary") or ""),
                 doc_impact_assessment=params.get("doc_impact_assessment"), contradicts_memo=contradicts,
                 contradicted_memo=str(params.get("contradicted_memo") or "") if contradicts else "",
                 doc_resigned_memo=params.get("doc_resigned_memo") if contradicts else None,
                 doc_signed_change=params.get("doc_signed_change") if signed else None)
    log.append(entry)
    return log
