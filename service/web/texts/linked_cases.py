"""Page labels: what a linked case (deviation, conflict) did to its request, in the timeline."""

from __future__ import annotations

ZH: dict[str, str] = {
    "ev.changed_by_linked_case": "关联案例 #{case} 修改了本案例",
    "ev.parent_case_changed": "已更新所属申请 #{case}",
    "ev.parent_case_unchanged": "所属申请未修改：{reason}",
    "ev.unchanged.parent_not_running": "所属申请已结束",
    "ev.unchanged.no_change": "没有需要修改的内容",
    "ev.unchanged.no_parent_case": "没有所属申请",
    "ev.change": "{label}：{old} → {new}",
    "var.products": "产品", "var.scope": "工作范围", "var.conflict_outcomes": "冲突处理结果",
}

EN: dict[str, str] = {
    "ev.changed_by_linked_case": "Linked case #{case} changed this case",
    "ev.parent_case_changed": "Updated the request #{case}",
    "ev.parent_case_unchanged": "The request was not changed: {reason}",
    "ev.unchanged.parent_not_running": "the request has ended",
    "ev.unchanged.no_change": "nothing to change",
    "ev.unchanged.no_parent_case": "no request is linked",
    "ev.change": "{label}: {old} → {new}",
    "var.products": "Products", "var.scope": "Scope of work", "var.conflict_outcomes": "Conflict outcomes",
}
