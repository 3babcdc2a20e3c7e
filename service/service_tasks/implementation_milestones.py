"""The milestones of an implementation project: reached by a recorded business result, never by a date.

Seed 001: 「里程碑以业务成果为标志，而不是日期」. A milestone step runs right after the task that records
its result (the kickoff minutes, the research report, the solution the customer agreed, the exam results,
the rollout report, the signed acceptance, the closing minutes, the payments), and keeps that result as
its evidence with the time it was recorded. Without evidence there is no milestone: the step refuses,
so no timer or clock can ever mark one reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

MILESTONES: dict[str, str] = {
    "kickoff": "启动大会已召开",
    "research": "调研完成（业务调研报告）",
    "solution": "实施方案和计划经顾客认可",
    "training": "重点用户培训完成（考核成绩）",
    "rollout": "现场推广完成",
    "acceptance": "顾客验收签字",
    "closing": "结项大会已召开",
    "payment": "回款全部到账",
}


def _known(value: Any) -> str | None:
    return None if value in MILESTONES else f"unknown milestone (known: {', '.join(MILESTONES)})"


def _empty(value: Any) -> bool:
    return value in (None, "", [], {}) or (isinstance(value, str) and not value.strip())


@operation("implementation_milestone", required=("milestones", "milestone", "evidence"), optional=("note",),
           checks={"milestone": _known})
def implementation_milestone(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The project's milestones with this one reached now, on the business result given as `evidence`."""
    name = str(params["milestone"])
    if name not in MILESTONES:
        raise ValueError(f"unknown milestone '{name}' (known: {', '.join(MILESTONES)})")
    evidence = params.get("evidence")
    if _empty(evidence):
        raise ValueError(f"milestone '{name}' needs its recorded business result as evidence, not a date")
    found = params.get("milestones")
    milestones = {k: v for k, v in found.items()} if isinstance(found, Mapping) else {}
    milestones[name] = {"what": MILESTONES[name], "evidence": evidence,
                        "reached_at": ctx.now.astimezone(ctx.calendar.tz).isoformat(),
                        **({"note": str(params["note"])} if not _empty(params.get("note")) else {})}
    return milestones
