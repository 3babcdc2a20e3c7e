"""Working days (工作日) of the mainland-China calendar, and deadlines counted in them.

Every deadline in the procedures is "by the end of working day N", where the
day a request arrives is working day 1 when it is a working day. The official
calendar (holidays and swapped working weekends, 调休) is only published a
year ahead, so the calendar is data, not rules: days are stored per date and
a year with no stored day falls back to Monday–Friday with a visible warning
rather than failing, because a deadline that crosses the year end must still
be computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SOURCES = ("seed", "admin", "fallback")
# A stored calendar with no working day for this long is broken; stop instead of looping.
_MAX_SEARCH_DAYS = 400


@dataclass(frozen=True)
class CalendarDay:
    """One date of the calendar.

    `source` is "seed" (official calendar loaded at install), "admin" (set by
    an administrator, e.g. next year's notice) or "fallback" (not stored:
    computed as Monday–Friday).
    """

    day: date
    is_workday: bool
    name: str = ""
    source: str = "seed"


# The State Council's notice names at least seven holidays (元旦 to 国庆): an admin who entered that many
# days of a year has entered its notice; one override alone leaves the year on the Mon–Fri fallback.
ADMIN_DAYS_FOR_A_YEAR = 7


def _covered_years(days: Iterable[CalendarDay]) -> frozenset[int]:
    """Years with official data, or with enough admin-entered days to be that year's notice."""
    seeded: set[int] = set()
    entered: dict[int, int] = {}
    for d in days:
        if d.source == "seed":
            seeded.add(d.day.year)
        else:
            entered[d.day.year] = entered.get(d.day.year, 0) + 1
    return frozenset(seeded | {year for year, n in entered.items() if n >= ADMIN_DAYS_FOR_A_YEAR})


class WorkingCalendar:
    """Looks up working days and turns receipt times into deadlines."""

    def __init__(
        self,
        days: Iterable[CalendarDay],
        tz: str = "Asia/Shanghai",
        end_of_day: time = time(18, 0),
        noon: time = time(12, 0),
        start_of_day: time = time(9, 0),
        lunch: tuple[time, time] | None = None,
    ) -> None:
        if not start_of_day < end_of_day:
            raise ValueError(f"the working day must start before it ends: {start_of_day}–{end_of_day}")
        if lunch is not None and not start_of_day <= lunch[0] < lunch[1] <= end_of_day:
            raise ValueError(f"the lunch break {lunch[0]}–{lunch[1]} must lie inside {start_of_day}–{end_of_day}")
        self._days: dict[date, CalendarDay] = {d.day: d for d in days}
        self._covered: frozenset[int] = _covered_years(self._days.values())
        self.tz = ZoneInfo(tz)
        self.end_of_day = end_of_day
        self.noon = noon
        self.start_of_day = start_of_day
        self.lunch = lunch

    # -- days ---------------------------------------------------------------

    @property
    def covered_years(self) -> list[int]:
        """Years with official or admin-entered data (see `_covered_years`); only these are trusted."""
        return sorted(self._covered)

    def day(self, d: date) -> CalendarDay:
        """The stored day, or a Monday–Friday day marked "fallback".

        A date missing from a covered year also reads as Monday–Friday, so an
        administrator may store only the exceptions of a year.
        """
        stored = self._days.get(d)
        if stored is not None:
            return stored
        return CalendarDay(d, d.weekday() < 5, "", "fallback")

    def is_workday(self, d: date) -> bool:
        """Never raises: an unconfigured year counts Monday–Friday."""
        return self.day(d).is_workday

    def uncovered_years(self, start: date, end: date) -> list[int]:
        """Years touched by [start, end] (either order) that have no stored day."""
        low, high = sorted((start.year, end.year))
        return [y for y in range(low, high + 1) if y not in self._covered]

    def warning_for(self, d: date) -> str | None:
        """A bilingual warning when `d` falls in a year without calendar data."""
        if d.year in self._covered:
            return None
        return (
            f"{d.year} 年工作日历未配置，按周一至周五计算 "
            f"(calendar for {d.year} not configured: counting Monday–Friday)"
        )

    def next_workday_on_or_after(self, d: date) -> date:
        current = d
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_workday(current):
                return current
            current += timedelta(days=1)
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days from {d.isoformat()}")

    def add_working_days(self, d: date, n: int) -> date:
        """Roll `d` forward to a working day, then move `n` working days (n < 0 moves back).

        The roll makes `add_working_days(d, 0)` the first working day on or
        after `d`, so working day N of a receipt is `add_working_days(day, N - 1)`.
        """
        current = self.next_workday_on_or_after(d)
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        idle = 0
        while remaining:
            current += timedelta(days=step)
            if self.is_workday(current):
                remaining -= 1
                idle = 0
            else:
                idle += 1
                if idle >= _MAX_SEARCH_DAYS:
                    raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days of {current}")
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in [start, end], both ends included.

        When `end` is before `start` the result is negative: minus the working
        days in [end, start), so a deadline that was yesterday (a working day)
        gives -1 — "overdue by one working day". Zero means the span holds no
        working day (e.g. a weekend or a holiday week).
        """
        if end < start:
            return -self._count(end, start - timedelta(days=1))
        return self._count(start, end)

    def _count(self, start: date, end: date) -> int:
        span = (end - start).days + 1
        return sum(1 for i in range(max(span, 0)) if self.is_workday(start + timedelta(days=i)))

    # -- receipts and deadlines ----------------------------------------------

    def _local(self, received_at: datetime) -> datetime:
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError("received_at must be timezone-aware")
        return received_at.astimezone(self.tz)

    def received_before_noon(self, received_at: datetime) -> bool:
        """Before noon in the company's zone; a non-working day counts as the next morning."""
        local = self._local(received_at)
        if not self.is_workday(local.date()):
            return True
        return local.time() < self.noon

    def working_day_one(self, received_at: datetime) -> date:
        """The receipt day if it is a working day, else the next working day."""
        return self.next_workday_on_or_after(self._local(received_at).date())

    def end_of_working_day(self, received_at: datetime, n: int) -> datetime:
        """End of working day `n` (day 1 = `working_day_one`), aware, in the company's zone."""
        if n < 1:
            raise ValueError(
                f"working day number must be 1 or more (day 1 is the receipt day), got {n}"
            )
        target = self.add_working_days(self.working_day_one(received_at), n - 1)
        return datetime.combine(target, self.end_of_day, tzinfo=self.tz)

    def deadline_by_noon_rule(
        self, received_at: datetime, days_before_noon: int, days_after_noon: int
    ) -> datetime:
        """The procedures' two-column rule: a different working day before and after 12:00."""
        n = days_before_noon if self.received_before_noon(received_at) else days_after_noon
        return self.end_of_working_day(received_at, n)

    # -- working hours -------------------------------------------------------

    def _working_spans(self) -> list[tuple[time, time]]:
        """The working hours of a working day: start to end, less the lunch break if there is one."""
        if self.lunch is None:
            return [(self.start_of_day, self.end_of_day)]
        return [(self.start_of_day, self.lunch[0]), (self.lunch[1], self.end_of_day)]

    @property
    def working_minutes_per_day(self) -> int:
        return sum(_minutes(end) - _minutes(start) for start, end in self._working_spans())

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes from `start` to `end` (whole minutes); negative when `end` is earlier.

        Only the working hours of working days count, so a deadline at 18:00 seen at 10:30 the next
        working day is 90 minutes past, whatever the night and a weekend in between.
        """
        low, high = self._local(start), self._local(end)
        if high < low:
            return -self.working_minutes_between(end, start)
        total = 0
        day = low.date()
        while day <= high.date():
            if self.is_workday(day):
                for open_at, close_at in self._working_spans():
                    begin = max(low, datetime.combine(day, open_at, tzinfo=self.tz))
                    finish = min(high, datetime.combine(day, close_at, tzinfo=self.tz))
                    if finish > begin:
                        total += int((finish - begin).total_seconds() // 60)
            day += timedelta(days=1)
        return total


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute
