"""The calendar table: seeded from the official data, overridden by an admin, audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from service.operations import calendar
from service.persistence.models import CalendarDayRow, Event
from tests.support.cli import cli_env, run_cli
from tests.support.walk import only_task, start_case


def test_seeded_calendar_knows_the_2026_adjusted_working_saturday(ctx):
    with ctx.db.reading() as session:
        cal = calendar.load_calendar(session, ctx)
        row = session.get(CalendarDayRow, date(2026, 10, 10))
    assert cal.is_workday(date(2026, 10, 10)) and row.source == "seed" and row.name == "调休上班"
    assert not cal.is_workday(date(2026, 10, 1))


def test_an_admin_override_moves_the_deadlines_and_is_audited(ctx, database_url, home):
    result = run_cli(cli_env(database_url, home), "calendar", "set", "2026-09-30", "--holiday", "--name", "公司停电")
    assert result.returncode == 0, result.stderr
    case = start_case(ctx)  # received 2026-09-30 11:00, now a holiday: day 1 is 2026-10-08
    assert only_task(ctx, case, "confirm_request")["due_at"] == "2026-10-08T18:00:00+08:00"
    with ctx.db.reading() as session:
        event = session.execute(select(Event).where(Event.type == "calendar_day_set")).scalar_one()
        assert event.payload["day"] == "2026-09-30" and event.payload["before"]["is_workday"] is True


def test_a_year_without_data_falls_back_with_a_warning(ctx, database_url, home):
    result = run_cli(cli_env(database_url, home), "calendar", "deadline", "2027-01-29T10:00:00+08:00", "2")
    assert result.returncode == 0
    assert result.stdout.strip() == "2027-02-01T18:00:00+08:00"  # Friday → Monday, Mon–Fri fallback
    assert "2027" in result.stderr
    with ctx.db.reading() as session:
        assert session.execute(select(func.count()).select_from(CalendarDayRow)).scalar() > 8000
