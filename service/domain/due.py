"""Where a deadline stands, counted in working hours of working days, and how it is said.

One computation and one wording serve the inbox, the task and case pages and the notice mails, so a
person reads the same 「还剩 2.5 个工作小时」 everywhere. Time outside the working day (nights,
weekends, holidays) does not count: a task due at 18:00 and seen at 10:30 on the next working day is
overdue by 1.5 working hours, not by a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .working_calendar import WorkingCalendar

# what is shown is rounded to half an hour: nobody plans by the minute, and the words stay short
STEP_MINUTES = 30

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "left": "还剩 {span}", "overdue": "已逾期 {span}", "today": "今天到期", "soon": "即将到期",
        "overdue_now": "已逾期", "none": "无期限",
        "days": "{n} 个工作日", "days.one": "1 个工作日", "hours": "{n} 个工作小时", "hours.one": "1 个工作小时",
        "rest": "{n} 小时", "rest.one": "1 小时", "join": " ",
    },
    "en": {
        "left": "{span} left", "overdue": "Overdue by {span}", "today": "Due today", "soon": "Due soon",
        "overdue_now": "Overdue", "none": "No deadline",
        "days": "{n} working days", "days.one": "1 working day", "hours": "{n} working hours",
        "hours.one": "1 working hour", "rest": "{n} hours", "rest.one": "1 hour", "join": " ",
    },
}


@dataclass(frozen=True)
class DueStanding:
    """`kind` is "left", "today" (due later on this very day) or "overdue"; `minutes` are working
    minutes still to go or already past (never negative)."""

    kind: str
    minutes: int
    day_minutes: int

    @property
    def rounded(self) -> int:
        """Working minutes as shown: to the nearest half hour, at least half an hour if any."""
        if self.minutes <= 0:
            return 0
        return max(STEP_MINUTES, round(self.minutes / STEP_MINUTES) * STEP_MINUTES)

    @property
    def days(self) -> int:
        return self.rounded // self.day_minutes

    @property
    def hours(self) -> float:
        return (self.rounded % self.day_minutes) / 60

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "minutes": self.minutes, "days": self.days, "hours": self.hours}


def due_standing(calendar: WorkingCalendar, due_at: datetime | None, now: datetime) -> DueStanding | None:
    """None without a deadline."""
    if due_at is None:
        return None
    day_minutes = calendar.working_minutes_per_day
    if due_at < now:
        return DueStanding("overdue", calendar.working_minutes_between(due_at, now), day_minutes)
    same_day = due_at.astimezone(calendar.tz).date() == now.astimezone(calendar.tz).date()
    return DueStanding("today" if same_day else "left", calendar.working_minutes_between(now, due_at), day_minutes)


def _number(value: float) -> str:
    return f"{value:g}"


def _part(words: dict[str, str], key: str, value: float) -> str:
    return words[f"{key}.one"] if value == 1 else words[key].format(n=_number(value))


def _span(words: dict[str, str], days: int, hours: float) -> str:
    if not days:
        return _part(words, "hours", hours)
    if not hours:
        return _part(words, "days", days)
    return words["join"].join([_part(words, "days", days), _part(words, "rest", hours)])


def due_words(due: DueStanding | dict[str, Any] | None, lang: str) -> str:
    """「还剩 2.5 个工作小时」, 「已逾期 1 个工作日 3 小时」, 「今天到期」 … in Chinese or English."""
    words = WORDS.get(lang, WORDS["zh"])
    if due is None:
        return words["none"]
    kind, days, hours = (due.kind, due.days, due.hours) if isinstance(due, DueStanding) else (
        due["kind"], int(due.get("days") or 0), float(due.get("hours") or 0))
    if not days and not hours:
        return words[{"overdue": "overdue_now", "today": "today"}.get(kind, "soon")]
    return words["overdue" if kind == "overdue" else "left"].format(span=_span(words, days, hours))
