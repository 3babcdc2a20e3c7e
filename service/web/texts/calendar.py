"""Page labels: the admin's calendar page (the year's working days, holidays, 调休 days, overrides)."""

from __future__ import annotations

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_LONG_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# holiday names as the official data stores them (service/adapters/calendar_source.py), in English
_HOLIDAYS = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明节": "Tomb-sweeping Day",
             "劳动节": "Labour Day", "端午节": "Dragon Boat Festival", "国庆节": "National Day",
             "中秋节": "Mid-autumn Festival", "抗战胜利70周年纪念日": "Anti-Fascist War Victory 70th Anniversary",
             "调休上班": "Adjusted working day"}

ZH: dict[str, str] = {
    "calendar.nav": "工作日历",
    "calendar.title": "工作日历 {year}",
    "calendar.hint": "期限按工作日计算：法定节假日休息，调休的周末上班。点击某一天可修改它。",
    "calendar.prev": "‹ {year} 年", "calendar.next": "{year} 年 ›", "calendar.this_year": "今年",
    "calendar.year_nav": "选择年份",
    "calendar.legend": "图例",
    "calendar.kind.workday": "工作日", "calendar.kind.rest": "休息日", "calendar.kind.weekend": "周末", "calendar.kind.holiday": "节假日",
    "calendar.kind.adjusted": "调休上班", "calendar.kind.override": "管理员修改", "calendar.kind.today": "今天",
    "calendar.mark.adjusted": "班", "calendar.mark.holiday": "休", "calendar.mark.override": "改",
    "calendar.source.seed": "官方数据", "calendar.source.admin": "管理员设定", "calendar.source.fallback": "按周一至周五",
    "calendar.set_by": "{who} 于 {at} 设定",
    "calendar.form.title": "修改某一天",
    "calendar.form.hint": "例如国务院公布下一年的放假安排后，按通知逐日设定。修改会记入审计日志。",
    "calendar.form.day": "日期", "calendar.form.kind": "这一天是", "calendar.form.workday": "工作日",
    "calendar.form.rest": "休息日", "calendar.form.name": "名称或原因",
    "calendar.form.name_hint": "例如：国庆节、调休上班、公司停电（最多 64 个字符）",
    "calendar.form.now": "目前：{state}",
    "calendar.form.save": "保存", "calendar.form.errors": "未保存：请改正标出的字段。",
    "calendar.saved": "已将 {day} 设为{kind}",
    "calendar.trail.title": "{year} 年的修改记录",
    "calendar.trail.none": "这一年还没有管理员修改过",
    "calendar.trail.day": "日期", "calendar.trail.change": "修改", "calendar.trail.who": "修改人",
    "calendar.trail.when": "时间", "calendar.trail.unset": "（未存储）",
    "calendar.warning.title": "缺少官方数据",
    **{f"calendar.month.{i}": f"{i}月" for i in range(1, 13)},
    **{f"calendar.weekday.{i}": day for i, day in enumerate(_WEEKDAYS_ZH)},
    **{f"calendar.weekday_long.{i}": f"星期{day}" for i, day in enumerate(_WEEKDAYS_ZH)},
    **{f"calendar.holiday.{zh}": zh for zh in _HOLIDAYS},
}

EN: dict[str, str] = {
    "calendar.nav": "Calendar",
    "calendar.title": "Working-day calendar {year}",
    "calendar.hint": "Deadlines count working days: public holidays are off, adjusted weekends (调休) are worked. "
                     "Click a day to change it.",
    "calendar.prev": "‹ {year}", "calendar.next": "{year} ›", "calendar.this_year": "This year",
    "calendar.year_nav": "Choose the year",
    "calendar.legend": "Legend",
    "calendar.kind.workday": "Working day", "calendar.kind.rest": "Day off", "calendar.kind.weekend": "Weekend",
    "calendar.kind.holiday": "Public holiday", "calendar.kind.adjusted": "Adjusted working weekend",
    "calendar.kind.override": "Set by an administrator", "calendar.kind.today": "Today",
    "calendar.mark.adjusted": "Work", "calendar.mark.holiday": "Off", "calendar.mark.override": "Set",
    "calendar.source.seed": "official data", "calendar.source.admin": "set by an administrator",
    "calendar.source.fallback": "Monday to Friday",
    "calendar.set_by": "set by {who} at {at}",
    "calendar.form.title": "Change a day",
    "calendar.form.hint": "For example when the State Council publishes next year's holidays, set them day by day. "
                          "Every change goes into the audit log.",
    "calendar.form.day": "Date", "calendar.form.kind": "This day is", "calendar.form.workday": "a working day",
    "calendar.form.rest": "a day off", "calendar.form.name": "Name or reason",
    "calendar.form.name_hint": "e.g. National Day, adjusted working day, power cut (at most 64 characters)",
    "calendar.form.now": "Now: {state}",
    "calendar.form.save": "Save", "calendar.form.errors": "Not saved: correct the marked fields.",
    "calendar.saved": "{day} is now {kind}",
    "calendar.trail.title": "Changes in {year}",
    "calendar.trail.none": "No administrator has changed this year yet",
    "calendar.trail.day": "Date", "calendar.trail.change": "Change", "calendar.trail.who": "By",
    "calendar.trail.when": "When", "calendar.trail.unset": "(not stored)",
    "calendar.warning.title": "Official data missing",
    **{f"calendar.month.{i}": name for i, name in enumerate(_MONTHS_EN, start=1)},
    **{f"calendar.weekday.{i}": day for i, day in enumerate(_WEEKDAYS_EN)},
    **{f"calendar.weekday_long.{i}": day for i, day in enumerate(_WEEKDAYS_LONG_EN)},
    **{f"calendar.holiday.{zh}": en for zh, en in _HOLIDAYS.items()},
}
