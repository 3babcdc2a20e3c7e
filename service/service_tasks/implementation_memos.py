"""Memos after each on-site visit (工作备忘) and what they carry into the next plan.

Seed 001: a memo says what was done on site, what it achieved, the next steps agreed with the customer and
why the schedule slipped, on which side; 「约定的工作一定要在下次工作计划中得到体现」. So the memo the
customer confirmed is filed in `memos` (numbered, never rewritten: a later change request is checked
against them), and before each plan `implementation_carried_items` copies the last memo's agreed items
into the plan as items it must arrange; `implementation_visit_plan` puts them into the plan itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

ITEM_KEYS = ("item", "party", "due")
PARTY_WORDS = {"ours": "我方", "customer": "顾客方", "both": "双方"}


def _rows(value: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _items(value: Any) -> list[dict[str, Any]]:
    """Agreed items as the memo form gives them, blank rows left out."""
    return [{k: str(r.get(k) or "").strip() for k in ITEM_KEYS} for r in _rows(value)
            if str(r.get("item") or "").strip()]


@operation("implementation_file_memo", required=("memos", "work_done", "results", "agreed_items", "doc_memo",
                                                 "doc_signed_memo"),
           optional=("delay_ours", "delay_customer"))
def implementation_file_memo(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The project's memos with this visit's memo, as the customer confirmed and signed it, appended."""
    memos = _rows(params.get("memos"))
    memos.append({"memo_no": len(memos) + 1, "work_done": str(params.get("work_done") or ""),
                  "results": str(params.get("results") or ""), "agreed_items": _items(params.get("agreed_items")),
                  "delay_ours": str(params.get("delay_ours") or ""),
                  "delay_customer": str(params.get("delay_customer") or ""),
                  "doc_memo": params.get("doc_memo"), "doc_signed_memo": params.get("doc_signed_memo"),
                  "filed_at": ctx.now.astimezone(ctx.calendar.tz).isoformat()})
    return memos


@operation("implementation_carried_items", required=("memos",))
def implementation_carried_items(ctx: ServiceContext, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items the last memo agreed, each with its memo's number: what the next plan must arrange."""
    memos = _rows(params.get("memos"))
    if not memos:
        return []
    last = memos[-1]
    return [{**item, "memo_no": last.get("memo_no")} for item in _items(last.get("agreed_items"))]


@operation("implementation_visit_plan", required=("carried_items", "visit_goals", "visit_actions"),
           optional=("carried_arrangement", "communicated_with", "visit_from", "visit_to"))
def implementation_visit_plan(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The visit's plan: the memo's agreed items first (source `memo`), then the plan's own actions."""
    carried = [{**item, "source": "memo"} for item in _rows(params.get("carried_items"))]
    actions = [{"item": line.strip(), "source": "plan"}
               for line in str(params.get("visit_actions") or "").splitlines() if line.strip()]
    return {"goals": str(params.get("visit_goals") or ""), "items": carried + actions,
            "carried_arrangement": str(params.get("carried_arrangement") or ""),
            "communicated_with": str(params.get("communicated_with") or ""),
            "from": str(params.get("visit_from") or ""), "to": str(params.get("visit_to") or "")}


def _memo_line(memo: Mapping[str, Any]) -> str:
    agreed = "；".join(f"{i.get('item')}（{PARTY_WORDS.get(str(i.get('party')), i.get('party') or '—')}）"
                      for i in _items(memo.get("agreed_items"))) or "—"
    return (f"备忘录 {memo.get('memo_no')}（顾客已签字）：完成 {memo.get('work_done') or '—'}；"
            f"结果 {memo.get('results') or '—'}；约定 {agreed}")


@operation("implementation_memo_digest", required=("memos",))
def implementation_memo_digest(ctx: ServiceContext, params: Mapping[str, Any]) -> str:
    """The signed memos, one line each, for checking a change request against what was agreed before."""
    memos = _rows(params.get("memos"))
    return "\n".join(_memo_line(m) for m in memos) or "（尚无备忘录）"
