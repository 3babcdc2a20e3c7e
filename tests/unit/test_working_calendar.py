"""Working-day calendar: the PROCEDURES.md examples on the real 2026 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from service.adapters.calendar_source import SUPPORTED_YEARS, official_days
from service.domain.working_calendar import CalendarDay, WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar(official_days([2026]))


# -- the procedure's example (10-01..10-07 holiday, 10-10 a working Saturday) --


def test_received_before_noon_example(cal: WorkingCalendar) -> None:
    received = at(2026, 9, 30, 11)
    assert cal.received_before_noon(received)
    assert cal.working_day_one(received) == date(2026, 9, 30)
    assert cal.end_of_working_day(received, 1) == at(2026, 9, 30, 18)
    assert cal.deadline_by_noon_rule(received, 1, 2) == at(2026, 9, 30, 18)
    assert cal.deadline_by_noon_rule(received, 2, 3) == at(2026, 10, 8, 18)
    assert cal.deadline_by_noon_rule(received, 4, 5) == at(2026, 10, 10, 18)
    assert date(2026, 10, 10).weekday() == 5  # the working Saturday


def test_received_after_noon_example(cal: WorkingCalendar) -> None:
    received = at(2026, 9, 30, 14)
    assert not cal.received_before_noon(received)
    assert cal.deadline_by_noon_rule(received, 1, 2) == at(2026, 10, 8, 18)
    assert cal.deadline_by_noon_rule(received, 2, 3) == at(2026, 10, 9, 18)
    assert cal.deadline_by_noon_rule(received, 4, 5) == at(2026, 10, 12, 18)


def test_receipt_time_is_read_in_company_zone(cal: WorkingCalendar) -> None:
    # 03:30 UTC is 11:30 in Shanghai, 04:30 UTC is 12:30.
    assert cal.received_before_noon(datetime(2026, 9, 30, 3, 30, tzinfo=UTC))
    assert not cal.received_before_noon(datetime(2026, 9, 30, 4, 30, tzinfo=UTC))
    assert not cal.received_before_noon(at(2026, 9, 30, 12, 0))  # noon itself is "after"
    deadline = cal.end_of_working_day(datetime(2026, 9, 30, 3, 30, tzinfo=UTC), 1)
    assert deadline.tzinfo is not None and deadline.utcoffset() == timedelta(hours=8)


def test_naive_receipt_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.received_before_noon(datetime(2026, 9, 30, 11))


# -- real 2026 dates ----------------------------------------------------------


def test_spring_festival_2026(cal: WorkingCalendar) -> None:
    for offset in range(9):
        d = date(2026, 2, 15) + timedelta(days=offset)
        assert not cal.is_workday(d), d
        assert cal.day(d).name == "春节"
    assert cal.is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert cal.is_workday(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    assert cal.day(date(2026, 2, 14)).name == "调休上班"
    assert cal.day(date(2026, 2, 28)).name == "调休上班"
    assert cal.is_workday(date(2026, 2, 24))
    # Received Friday 02-13 afternoon: day 2 is the working Saturday, day 3 after the festival.
    received = at(2026, 2, 13, 15)
    assert cal.end_of_working_day(received, 2) == at(2026, 2, 14, 18)
    assert cal.end_of_working_day(received, 3) == at(2026, 2, 24, 18)


def test_new_year_2026(cal: WorkingCalendar) -> None:
    assert [cal.is_workday(date(2026, 1, d)) for d in range(1, 6)] == [
        False, False, False, True, True,
    ]
    assert cal.day(date(2026, 1, 1)).name == "元旦"
    assert cal.day(date(2026, 1, 4)) == CalendarDay(date(2026, 1, 4), True, "调休上班", "seed")


def test_names_and_sources(cal: WorkingCalendar) -> None:
    assert cal.day(date(2026, 10, 1)).name == "国庆节"
    assert cal.day(date(2026, 10, 10)).name == "调休上班"
    assert cal.day(date(2026, 9, 25)).name == "中秋节"
    assert cal.day(date(2026, 10, 11)) == CalendarDay(date(2026, 10, 11), False, "", "seed")
    assert cal.day(date(2026, 10, 12)).name == ""


def test_received_on_holiday_or_weekend(cal: WorkingCalendar) -> None:
    holiday = at(2026, 10, 3, 15)  # Saturday inside the National Day break, afternoon
    assert cal.received_before_noon(holiday)
    assert cal.working_day_one(holiday) == date(2026, 10, 8)
    assert cal.deadline_by_noon_rule(holiday, 1, 2) == at(2026, 10, 8, 18)
    sunday = at(2026, 10, 11, 16)
    assert cal.received_before_noon(sunday)
    assert cal.working_day_one(sunday) == date(2026, 10, 12)
    assert cal.deadline_by_noon_rule(sunday, 2, 3) == at(2026, 10, 13, 18)
    working_saturday = at(2026, 10, 10, 14)
    assert not cal.received_before_noon(working_saturday)
    assert cal.working_day_one(working_saturday) == date(2026, 10, 10)


def test_add_working_days_and_between(cal: WorkingCalendar) -> None:
    assert cal.next_workday_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)
    assert cal.add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)
    assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 4
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 1
    assert cal.working_days_between(date(2026, 10, 9), date(2026, 10, 8)) == -1
    assert cal.working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3


def test_agrees_with_holidays_library_for_2026() -> None:
    cn = holidays.CN(years=2026)
    days = official_days([2026])
    assert len(days) == 365
    assert [d.day for d in days] == [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert {d.source for d in days} == {"seed"}
    for d in days:
        expected = (d.day.weekday() < 5 and d.day not in cn) or d.day in cn.weekend_workdays
        assert d.is_workday == expected, d.day
        assert d.is_workday == cn.is_working_day(d.day), d.day


def test_supported_years_and_unsupported_skipped() -> None:
    assert 2004 in SUPPORTED_YEARS and 2026 in SUPPORTED_YEARS
    assert 2027 not in SUPPORTED_YEARS
    assert official_days([2027]) == []
    assert len(official_days([2027, 2026])) == 365


# -- a year without data -----------------------------------------------------


def test_year_without_data_falls_back_to_monday_to_friday(cal: WorkingCalendar) -> None:
    assert cal.is_workday(date(2027, 1, 1))  # a Friday; the real New Year is unknown
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.day(date(2027, 1, 4)) == CalendarDay(date(2027, 1, 4), True, "", "fallback")
    warning = cal.warning_for(date(2027, 3, 1))
    assert warning is not None and "2027" in warning
    assert cal.warning_for(date(2026, 3, 1)) is None
    assert cal.uncovered_years(date(2026, 12, 1), date(2028, 1, 1)) == [2027, 2028]
    assert cal.uncovered_years(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert cal.covered_years == [2026]


def test_deadline_crossing_into_2027(cal: WorkingCalendar) -> None:
    received = at(2026, 12, 31, 14)  # Thursday, a 2026 working day, after noon
    assert cal.working_day_one(received) == date(2026, 12, 31)
    assert cal.deadline_by_noon_rule(received, 2, 3) == at(2027, 1, 4, 18)
    assert cal.end_of_working_day(received, 2) == at(2027, 1, 1, 18)
    assert cal.uncovered_years(date(2026, 12, 31), date(2027, 1, 4)) == [2027]


def test_empty_calendar_never_raises() -> None:
    empty = WorkingCalendar([])
    assert empty.is_workday(date(2030, 6, 3)) and not empty.is_workday(date(2030, 6, 1))
    assert empty.end_of_working_day(at(2030, 6, 1, 9), 1) == at(2030, 6, 3, 18)


def test_configurable_end_of_day() -> None:
    custom = WorkingCalendar(official_days([2026]), end_of_day=time(17, 30), noon=time(13, 0))
    received = at(2026, 9, 30, 12, 30)
    assert custom.received_before_noon(received)
    assert custom.end_of_working_day(received, 1) == at(2026, 9, 30, 17, 30)


def test_day_zero_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="1 or more"):
        cal.end_of_working_day(at(2026, 9, 30, 11), 0)
    with pytest.raises(ValueError):
        cal.deadline_by_noon_rule(at(2026, 9, 30, 11), 0, 2)
