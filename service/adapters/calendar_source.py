"""The official mainland-China calendar, read from `chinese_calendar` (package chinesecalendar).

Used to seed the stored calendar. The library raises for any year it has no
data for, so only its supported years are read; the caller warns about the
rest (see `WorkingCalendar.warning_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

from service.domain.working_calendar import CalendarDay

# Taken from the library's own data, the same bound it validates against, so a
# newer release with next year's notice widens this without a code change.
SUPPORTED_YEARS: range = range(
    min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1
)

ADJUSTED_WORKDAY = "调休上班"

_CHINESE_NAMES: dict[str, str] = {
    "new year's day": "元旦",
    "spring festival": "春节",
    "tomb-sweeping day": "清明节",
    "labour day": "劳动节",
    "dragon boat festival": "端午节",
    "national day": "国庆节",
    "mid-autumn festival": "中秋节",
    "anti-fascist 70th day": "抗战胜利70周年纪念日",
}


def chinese_holiday_name(english: str) -> str:
    """The Chinese name of a holiday as the library spells it in English.

    A combined holiday (e.g. "National Day, Mid-autumn Festival") gives both
    names in the order written, "国庆节、中秋节"; an unknown name is kept as is.
    """
    text = english.lower()
    found = sorted((text.find(en), zh) for en, zh in _CHINESE_NAMES.items() if en in text)
    return "、".join(zh for _pos, zh in found) if found else english


def _official_day(d: date) -> CalendarDay:
    is_workday = bool(chinese_calendar.is_workday(d))
    holiday = chinese_calendar.holidays.get(d)
    if holiday is not None and not is_workday:
        name = chinese_holiday_name(str(holiday))
    elif is_workday and d.weekday() >= 5:
        name = ADJUSTED_WORKDAY
    else:
        name = ""
    return CalendarDay(d, is_workday, name, "seed")


def official_days(years: Iterable[int]) -> list[CalendarDay]:
    """Every date of each supported year; unsupported years are skipped."""
    days: list[CalendarDay] = []
    for year in sorted(set(years)):
        if year not in SUPPORTED_YEARS:
            continue
        d = date(year, 1, 1)
        while d.year == year:
            days.append(_official_day(d))
            d += timedelta(days=1)
    return days
