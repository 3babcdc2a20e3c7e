"""Message catalogue: recurring after-sales visits (the visit plan) and the cases a step asks to open."""

from __future__ import annotations

ZH: dict[str, str] = {
    "visit_plan.unknown_kind": "未知的上门类型「{kind}」（可选：月度回访、季度维护保养、年度保养服务）",
    "visit_plan.not_a_date": "「{value}」不是日期（年-月-日）",
    "case_start.failed": "未能开出案例「{business_key}」：{error}",
}

EN: dict[str, str] = {
    "visit_plan.unknown_kind": "unknown kind of visit “{kind}” (one of monthly_visit, quarterly_maintenance, "
                               "yearly_service)",
    "visit_plan.not_a_date": "“{value}” is not a date (YYYY-MM-DD)",
    "case_start.failed": "could not open the case “{business_key}”: {error}",
}
