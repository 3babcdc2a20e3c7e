"""Page labels: the seven after-sales lists (seed 004) — the condition builder, sort, groups, columns and
the exports (.xlsx, HTML)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "aslists.nav": "售后列表", "aslists.title": "售后列表", "aslists.lists": "列表",
    "aslists.conditions": "查询条件", "aslists.join": "连接", "aslists.field": "字段", "aslists.op": "运算符",
    "aslists.value": "值", "aslists.any_field": "任意字段（*）", "aslists.add_row": "增加条件",
    "aslists.remove_row": "删除", "aslists.remove_label": "删除条件 {n}",
    "aslists.hint": "* 代表任意多个字符，不分大小写，如 2by*5084*4*1；多个条件时 AND（且）先于 OR（或）结合；"
                    "数字和日期列可比较大小（如 金额 >= 100、报修时间 < 2026-09-30）。",
    "aslists.where": "按文字输入条件", "aslists.where_hint": "如：序列号 ~ 2by*5084* and 客户 = 欧莱雅 or 状态 = 已关闭",
    "aslists.op.~": "包含", "aslists.op.!~": "不包含", "aslists.op.=": "等于", "aslists.op.!=": "不等于",
    "aslists.op.<": "小于", "aslists.op.<=": "小于等于", "aslists.op.>": "大于", "aslists.op.>=": "大于等于",
    "aslists.and": "AND 且", "aslists.or": "OR 或",
    "aslists.sort": "排序", "aslists.sort_none": "（不排序）", "aslists.asc": "升序", "aslists.desc": "降序",
    "aslists.sort_hint": "数字按大小，字母不分大小写，汉字按拼音；空值排在最后。",
    "aslists.group": "分组", "aslists.group_none": "（不分组）", "aslists.columns": "显示列",
    "aslists.search": "查询", "aslists.reset": "清除条件",
    "aslists.count": "显示 {shown} 条，共 {total} 条", "aslists.count_capped": "每次最多显示 {max} 条",
    "aslists.empty": "没有符合条件的记录", "aslists.group_count": "{n} 条",
    "aslists.export.xlsx": "导出 Excel", "aslists.export.html": "导出 HTML",
    "aslists.file_note": "共 {total} 条，本文件含 {shown} 条。", "aslists.facts.count": "显示 {shown} 条，共 {total} 条",
    "aslists.facts.conditions": "条件：{conditions}", "aslists.facts.no_conditions": "条件：无（全部）",
    "aslists.facts.groups": "分组：{groups}", "aslists.facts.sort": "排序：{sort}",
    "aslists.facts.made": "导出时间：{at}，导出人：{who}", "aslists.sort_by": "按「{column}」排序",
    "aslists.errors": "查询未执行，请修改：", "aslists.open_case": "打开案例 #{id}",
}

EN: dict[str, str] = {
    "aslists.nav": "After-sales lists", "aslists.title": "After-sales lists", "aslists.lists": "Lists",
    "aslists.conditions": "Conditions", "aslists.join": "Join", "aslists.field": "Field", "aslists.op": "Operator",
    "aslists.value": "Value", "aslists.any_field": "Any field (*)", "aslists.add_row": "Add a condition",
    "aslists.remove_row": "Remove", "aslists.remove_label": "Remove condition {n}",
    "aslists.hint": "* stands for any run of characters, case does not matter, e.g. 2by*5084*4*1; with several "
                    "conditions AND binds tighter than OR; number and date columns compare by value (amount >= 100, "
                    "requested < 2026-09-30).",
    "aslists.where": "Conditions as text", "aslists.where_hint": "e.g. serial_no ~ 2by*5084* and customer = 欧莱雅 or "
                                                              "status = closed",
    "aslists.op.~": "contains", "aslists.op.!~": "does not contain", "aslists.op.=": "equals",
    "aslists.op.!=": "does not equal", "aslists.op.<": "less than", "aslists.op.<=": "at most",
    "aslists.op.>": "greater than", "aslists.op.>=": "at least",
    "aslists.and": "AND", "aslists.or": "OR",
    "aslists.sort": "Sort", "aslists.sort_none": "(no sort)", "aslists.asc": "ascending", "aslists.desc": "descending",
    "aslists.sort_hint": "Numbers by value, letters without case, Chinese by pinyin; empty cells last.",
    "aslists.group": "Group by", "aslists.group_none": "(no groups)", "aslists.columns": "Columns",
    "aslists.search": "Search", "aslists.reset": "Clear",
    "aslists.count": "{shown} of {total} shown", "aslists.count_capped": "A query shows at most {max} rows",
    "aslists.empty": "Nothing matches", "aslists.group_count": "{n} rows",
    "aslists.export.xlsx": "Export Excel", "aslists.export.html": "Export HTML",
    "aslists.file_note": "{total} rows match; this file holds {shown}.", "aslists.facts.count": "{shown} of {total} shown",
    "aslists.facts.conditions": "Conditions: {conditions}", "aslists.facts.no_conditions": "Conditions: none (all)",
    "aslists.facts.groups": "Grouped by: {groups}", "aslists.facts.sort": "Sorted by: {sort}",
    "aslists.facts.made": "Exported {at} by {who}", "aslists.sort_by": "Sort by “{column}”",
    "aslists.errors": "The query was not run; please correct:", "aslists.open_case": "Open case #{id}",
}
