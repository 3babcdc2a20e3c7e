"""Rule 11: workload accounting from the coefficient table the process owner edits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain import workload

from .context import ServiceContext
from .registry import operation


def _number(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@operation("compute_workload", required=("factors",),
           optional=("dimensions", "estimated_person_days", "accounted_person_days"))
def compute_workload(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Estimated and accounted person-days = days × the product of the matched coefficients.

    `dimensions` names, rule by rule, what each coefficient is for (the table's 维度 column), so the
    technical director reviews each coefficient by name rather than a bare list of numbers."""
    factor_list = _as_list(params["factors"])
    coefficient = workload.coefficient(factor_list)
    return {"factors": factor_list, "coefficient": coefficient,
            "coefficients": workload.by_dimension(_as_list(params.get("dimensions")), factor_list),
            "estimated_person_days": workload.person_days(_number(params.get("estimated_person_days")), coefficient),
            "accounted_person_days": workload.person_days(_number(params.get("accounted_person_days")), coefficient)}


@operation("finalise_workload")
def finalise_workload(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """The final figure is the one in the signed weekly report."""
    computed = ctx.data.get("workload") or {}
    result = workload.final_figure(float(ctx.data["weekly_report_person_days"]),
                                   _number(ctx.data.get("adjusted_person_days")),
                                   _number(computed.get("accounted_person_days")))
    result["adjustment_reason"] = ctx.data.get("adjustment_reason") or ""
    return result
