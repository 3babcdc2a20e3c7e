"""The working-day calendar table: seeded from the official data, editable by an admin."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.adapters.calendar_source import SUPPORTED_YEARS, official_days
from service.domain.input_limits import text_problem
from service.domain.messages import Message
from service.domain.working_calendar import CalendarDay, WorkingCalendar
from service.persistence.audit import SYSTEM_CHAIN, append_event
from service.persistence.models import CalendarDayRow, Event
from service.persistence.read_cache import while_unchanged

from . import users
from .context import AppContext
from .errors import Forbidden, ValidationFailed


def seed_calendar(ctx: AppContext) -> int:
    """Insert official days not yet in the table; admin overrides are never replaced."""
    with ctx.db.transaction() as session:
        present = set(session.execute(select(CalendarDayRow.day)).scalars())
        now = ctx.now()
        rows = [
            CalendarDayRow(day=d.day, is_workday=d.is_workday, name=d.name, source="seed", updated_at=now,
                           updated_by="system")
            for d in official_days(SUPPORTED_YEARS) if d.day not in present
        ]
        session.add_all(rows)
        if rows:
            append_event(session, type="calendar_seeded", actor="system", at=now,
                         payload={"days": len(rows), "first": str(rows[0].day), "last": str(rows[-1].day)})
        return len(rows)


def load_calendar(session: Session, ctx: AppContext) -> WorkingCalendar:
    """The working calendar, read again only after the days may have changed (see `read_cache`: every
    change of the calendar appends to the system chain)."""
    def load() -> WorkingCalendar:
        days = [CalendarDay(r.day, r.is_workday, r.name, r.source)
                for r in session.execute(select(CalendarDayRow)).scalars()]
        return WorkingCalendar(days, tz=ctx.settings.timezone)
    return while_unchanged(session, ("calendar", ctx.settings.timezone), load)


def set_day(ctx: AppContext, *, day: date, is_workday: bool, name: str, actor: str) -> None:
    """An admin's override (e.g. next year's State Council notice), audited."""
    with ctx.db.transaction() as session:
        row = session.get(CalendarDayRow, day)
        before = None if row is None else {"is_workday": row.is_workday, "name": row.name, "source": row.source}
        if row is None:
            row = CalendarDayRow(day=day)
            session.add(row)
        row.is_workday, row.name, row.source = is_workday, name, "admin"
        row.updated_at, row.updated_by = ctx.now(), actor
        append_event(session, type="calendar_day_set", actor=actor, at=ctx.now(),
                     payload={"day": day.isoformat(), "is_workday": is_workday, "name": name, "before": before})


def coverage_warnings(ctx: AppContext) -> list[str]:
    """This year and next must be in the table; otherwise deadlines fall back to Mon–Fri."""
    today = ctx.now().astimezone(ctx.tz).date()
    with ctx.db.reading() as session:
        cal = load_calendar(session, ctx)
    years = cal.uncovered_years(date(today.year, 1, 1), date(today.year + 1, 12, 31))
    return [w for w in (cal.warning_for(date(y, 1, 1)) for y in years) if w]


# -- the admin's calendar page and the calendar API ---------------------------------------------------

CALENDAR_YEARS = range(2000, 2101)  # a year outside this is a typo, not a plan
NAME_MAX = 64  # the column's length
MAX_WORKING_DAYS = 366  # a deadline preview beyond a year of working days is a typo
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day_problem(text: object) -> tuple[date | None, Message | None]:
    if not isinstance(text, str) or not _ISO_DAY.match(text):
        return None, Message("calendar.day_format")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, Message("calendar.day_format")
    return (day, None) if day.year in CALENDAR_YEARS else (None, _year_range(day.year))


def _year_range(year: int) -> Message:
    return Message("calendar.year_range", {"year": year, "first": CALENDAR_YEARS.start,
                                           "last": CALENDAR_YEARS.stop - 1})


def parse_year(text: str) -> int:
    """A year as the address gives it (`2026`), inside CALENDAR_YEARS."""
    if not text.isascii() or not text.isdigit() or len(text) != 4:
        raise ValidationFailed("calendar.year_refused", {"year": Message("calendar.year_format")})
    if int(text) not in CALENDAR_YEARS:
        raise ValidationFailed("calendar.year_refused", {"year": _year_range(int(text))})
    return int(text)


def year_days(ctx: AppContext, year: int) -> dict[str, Any]:
    """Every date of `year` as deadlines count it: stored days, Monday–Friday for the rest."""
    with ctx.db.reading() as session:
        rows = session.execute(select(CalendarDayRow).where(
            CalendarDayRow.day >= date(year, 1, 1), CalendarDayRow.day <= date(year, 12, 31))).scalars().all()
        stored = {r.day: r for r in rows}
    cal = WorkingCalendar([CalendarDay(r.day, r.is_workday, r.name, r.source) for r in rows], tz=ctx.settings.timezone)
    days, current = [], date(year, 1, 1)
    while current.year == year:
        found, row = cal.day(current), stored.get(current)
        admin = row if row is not None and row.source == "admin" else None
        days.append({"day": current, "is_workday": found.is_workday, "name": found.name, "source": found.source,
                     "updated_by": admin.updated_by if admin else None,
                     "updated_at": admin.updated_at if admin else None})
        current += timedelta(days=1)
    return {"year": year, "covered": year in cal.covered_years, "days": days}


def uncovered_years(ctx: AppContext, first: int, last: int) -> list[int]:
    """Years in [first, last] without stored days: their deadlines fall back to Monday–Friday."""
    with ctx.db.reading() as session:
        cal = load_calendar(session, ctx)
    return cal.uncovered_years(date(first, 1, 1), date(last, 12, 31))


def override_trail(ctx: AppContext, year: int) -> list[dict[str, Any]]:
    """The admins' overrides of days of `year`, newest first, read from the audit log."""
    with ctx.db.reading() as session:
        events = session.execute(select(Event).where(Event.chain == SYSTEM_CHAIN, Event.type == "calendar_day_set")
                                 .order_by(Event.id.desc())).scalars().all()
        return [{"day": e.payload.get("day"), "is_workday": e.payload.get("is_workday"),
                 "name": e.payload.get("name", ""), "before": e.payload.get("before"), "actor": e.actor,
                 "at": e.occurred_at} for e in events if str(e.payload.get("day", "")).startswith(f"{year}-")]


def ensure_admin(ctx: AppContext, actor: str) -> None:
    """Only administrators change the calendar: every deadline of every case depends on it."""
    if not users.has_role(ctx, actor, "admin"):
        raise Forbidden("calendar.admin_only", user=actor)


def override_day(ctx: AppContext, *, day: str, is_workday: object, name: object, actor: str) -> dict[str, Any]:
    """An admin's override as a page or the API sends it: refused as a whole when any field is wrong."""
    ensure_admin(ctx, actor)
    parsed, problem = _day_problem(day)
    errors = {"day": problem} if problem else {}
    if not isinstance(is_workday, bool):
        errors["is_workday"] = Message("calendar.is_workday_required")
    clean = name.strip() if isinstance(name, str) else None
    name_problem = Message("text.not_text") if clean is None else text_problem(
        clean, max_length=NAME_MAX, single_line=True)
    if name_problem:
        errors["name"] = name_problem
    if errors or parsed is None or not isinstance(is_workday, bool) or clean is None:
        raise ValidationFailed("calendar.override_refused", errors)
    set_day(ctx, day=parsed, is_workday=is_workday, name=clean, actor=actor)
    return {"day": parsed, "is_workday": is_workday, "name": clean, "source": "admin", "updated_by": actor,
            "updated_at": ctx.now()}


def working_day_end(ctx: AppContext, *, day_number: str, start: str) -> datetime:
    """End of working day N counted from `start` (day 1 = the receipt day if it is a working day)."""
    errors: dict[str, Message] = {}
    number = int(day_number) if day_number.isascii() and day_number.isdigit() and len(day_number) < 5 else 0
    if not 1 <= number <= MAX_WORKING_DAYS:
        errors["day"] = Message("calendar.day_number", {"max": MAX_WORKING_DAYS})
    moment = _moment(start.replace(" ", "+") if "T" in start else start)
    if moment is None:
        errors["from"] = Message("calendar.from_format")
    elif moment.year not in CALENDAR_YEARS:
        errors["from"] = _year_range(moment.year)
    if errors or moment is None:
        raise ValidationFailed("calendar.deadline_refused", errors)
    with ctx.db.reading() as session:
        cal = load_calendar(session, ctx)
    return cal.end_of_working_day(moment if moment.tzinfo else moment.replace(tzinfo=ctx.tz), number)


def _moment(text: str) -> datetime | None:
    """An ISO date-time; without an offset it is read in the company's zone."""
    try:
        return datetime.fromisoformat(text) if len(text) <= 40 else None
    except ValueError:
        return None
