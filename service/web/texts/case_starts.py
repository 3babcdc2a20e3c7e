"""Page labels: the cases a step asked to open (a visit plan's dispatch orders), in both timelines."""

from __future__ import annotations

ZH: dict[str, str] = {
    "ev.case_opened": "已开出案例 #{case}",
    "ev.opened_by_case": "由案例 #{case} 开出",
    "ev.case_start_failed": "未能开出案例：{error}",
}

EN: dict[str, str] = {
    "ev.case_opened": "Opened case #{case}",
    "ev.opened_by_case": "Opened by case #{case}",
    "ev.case_start_failed": "Could not open a case: {error}",
}
