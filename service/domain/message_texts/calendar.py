"""Message catalogue: the working-day calendar (the admin's overrides, the year view, deadline previews)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "calendar.admin_only": "{user} 不能修改工作日历：只有系统管理员可以",
    "calendar.override_refused": "未修改工作日历：请改正标出的字段",
    "calendar.day_format": "日期须为 YYYY-MM-DD 格式的有效日期",
    "calendar.year_range": "{year} 年超出范围：只能是 {first} 至 {last} 年",
    "calendar.year_refused": "年份无效",
    "calendar.year_format": "年份须为四位数字",
    "calendar.is_workday_required": "请选择工作日或休息日",
    "calendar.year_uncovered": "{year} 年没有官方工作日历数据，期限按周一至周五计算",
    "calendar.deadline_refused": "无法计算期限：请改正标出的参数",
    "calendar.day_number": "工作日序号须为 1 至 {max} 的整数",
    "calendar.from_format": "起始时间须写为 YYYY-MM-DDTHH:MM（可带时区，如 +08:00）",
}

EN: dict[str, str] = {
    "calendar.admin_only": "{user} may not change the working-day calendar: only administrators may",
    "calendar.override_refused": "the calendar was not changed: correct the marked fields",
    "calendar.day_format": "the date must be a valid date written YYYY-MM-DD",
    "calendar.year_range": "the year {year} is out of range: only {first} to {last}",
    "calendar.year_refused": "invalid year",
    "calendar.year_format": "the year must be four digits",
    "calendar.is_workday_required": "choose working day or day off",
    "calendar.year_uncovered": "no official calendar data for {year}: deadlines count Monday to Friday",
    "calendar.deadline_refused": "the deadline cannot be computed: correct the marked parameters",
    "calendar.day_number": "the working day number must be a whole number from 1 to {max}",
    "calendar.from_format": "the start must be written YYYY-MM-DDTHH:MM (a zone such as +08:00 may follow)",
}
