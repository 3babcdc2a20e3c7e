"""Deadlines in working hours of the 2026 calendar (National Day, the 调休 Saturday 10 October), said
the same way in Chinese and English wherever a deadline is shown."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from service.adapters.calendar_source import official_days
from service.domain.due import due_standing, due_words
from service.domain.working_calendar import WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingCalendar(official_days([2026]))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def said(due: str, now: str, lang: str = "zh", calendar: WorkingCalendar = CALENDAR) -> str:
    return due_words(due_standing(calendar, at(due), at(now)), lang)


@pytest.mark.parametrize("due, now, zh, en", [
    # due at the end of today, seen in the afternoon
    ("2026-09-29 18:00", "2026-09-29 15:30", "还剩 2.5 个工作小时", "2.5 working hours left"),
    # due yesterday evening, seen mid-morning of the next working day: the night does not count
    ("2026-09-29 18:00", "2026-09-30 10:30", "已逾期 1.5 个工作小时", "Overdue by 1.5 working hours"),
    # the whole National Day week in between counts nothing
    ("2026-09-30 18:00", "2026-10-08 10:30", "已逾期 1.5 个工作小时", "Overdue by 1.5 working hours"),
    # several working days: days and hours
    ("2026-09-28 18:00", "2026-09-30 12:00", "已逾期 1 个工作日 3 小时", "Overdue by 1 working day 3 hours"),
    # Saturday 10 October is a 调休 working day, Sunday is not
    ("2026-10-09 18:00", "2026-10-12 12:00", "已逾期 1 个工作日 3 小时", "Overdue by 1 working day 3 hours"),
    ("2026-10-10 18:00", "2026-10-12 11:00", "已逾期 2 个工作小时", "Overdue by 2 working hours"),
    # a deadline after the holiday, seen on its eve: one whole working day (8 October) to go
    ("2026-10-08 18:00", "2026-09-30 18:00", "还剩 1 个工作日", "1 working day left"),
    ("2026-10-09 18:00", "2026-09-30 12:00", "还剩 2 个工作日 6 小时", "2 working days 6 hours left"),
    ("2026-09-30 10:00", "2026-09-30 09:00", "还剩 1 个工作小时", "1 working hour left"),
])
def test_deadlines_count_working_hours_of_working_days(due, now, zh, en):
    assert said(due, now, "zh") == zh
    assert said(due, now, "en") == en


def test_after_hours_the_day_still_reads_due_today_or_overdue():
    assert said("2026-09-30 23:00", "2026-09-30 19:00") == "今天到期"
    assert said("2026-09-30 18:00", "2026-09-30 19:00") == "已逾期"
    assert said("2026-09-30 18:00", "2026-09-30 19:00", "en") == "Overdue"
    # due first thing after the holiday, seen on the holiday: nothing of the working day is left
    assert said("2026-10-08 09:00", "2026-10-03 10:00") == "即将到期"


def test_what_is_shown_is_rounded_to_half_an_hour():
    assert said("2026-09-30 18:00", "2026-09-30 17:50") == "还剩 0.5 个工作小时"
    assert said("2026-09-30 18:00", "2026-09-30 16:50") == "还剩 1 个工作小时"
    assert said("2026-09-30 18:00", "2026-09-30 16:40") == "还剩 1.5 个工作小时"


def test_no_deadline_is_said_plainly():
    assert due_standing(CALENDAR, None, at("2026-09-30 10:00")) is None
    assert due_words(None, "zh") == "无期限" and due_words(None, "en") == "No deadline"


def test_the_pages_word_the_stored_row_like_the_mails_word_the_standing():
    standing = due_standing(CALENDAR, at("2026-09-28 18:00"), at("2026-09-30 12:00"))
    assert standing is not None
    row = standing.as_dict()
    assert row == {"kind": "overdue", "minutes": 720, "days": 1, "hours": 3.0}
    assert due_words(row, "zh") == due_words(standing, "zh") == "已逾期 1 个工作日 3 小时"


def test_the_working_day_comes_from_the_calendar_with_its_lunch_break():
    with_lunch = WorkingCalendar(official_days([2026]), start_of_day=time(8, 30), end_of_day=time(17, 30),
                                 lunch=(time(12, 0), time(13, 0)))
    assert with_lunch.working_minutes_per_day == 8 * 60
    assert CALENDAR.working_minutes_per_day == 9 * 60
    assert said("2026-09-30 14:00", "2026-09-30 11:00", calendar=with_lunch) == "还剩 2 个工作小时"
    # 17:30 yesterday to 12:30 today: 08:30–12:00 only (lunch does not count)
    assert said("2026-09-29 17:30", "2026-09-30 12:30", calendar=with_lunch) == "已逾期 3.5 个工作小时"
    assert said("2026-09-28 17:30", "2026-09-30 10:30", calendar=with_lunch) == "已逾期 1 个工作日 2 小时"


def test_working_minutes_run_both_ways():
    assert CALENDAR.working_minutes_between(at("2026-09-30 09:00"), at("2026-10-08 12:00")) == 9 * 60 + 3 * 60
    assert CALENDAR.working_minutes_between(at("2026-10-08 12:00"), at("2026-09-30 09:00")) == -(12 * 60)


@pytest.mark.parametrize("kwargs", [
    {"start_of_day": time(18, 0), "end_of_day": time(9, 0)},
    {"lunch": (time(13, 0), time(12, 0))},
    {"lunch": (time(8, 0), time(9, 30))},
])
def test_a_working_day_that_cannot_be_is_refused(kwargs):
    with pytest.raises(ValueError):
        WorkingCalendar([], **kwargs)
