"""The working-day calendar table: seeded from the official data, editable by an admin."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.adapters.calendar_source import SUPPORTED_YEARS, official_days
from service.domain.working_calendar import CalendarDay, WorkingCalendar
from service.persistence.audit import append_event
from service.persistence.models import CalendarDayRow

from .context import AppContext


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
    marker = session.execute(select(func.count(), func.max(CalendarDayRow.updated_at))).one()
    key = (marker[0], marker[1])
    cached = ctx.calendar_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    days = [CalendarDay(r.day, r.is_workday, r.name, r.source)
            for r in session.execute(select(CalendarDayRow)).scalars()]
    calendar = WorkingCalendar(days, tz=ctx.settings.timezone)
    ctx.calendar_cache = (key, calendar)  # rebuilt only when the table changes
    return calendar


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
