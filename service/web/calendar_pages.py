"""The admin's calendar page: the year's working days, holidays and 调休 days, overrides and their trail.

The year is drawn as twelve month grids, Monday first like a Chinese wall calendar. A day links to the
same page with that day filled into the override form, so changing a day needs no script.
"""

from __future__ import annotations

from calendar import Calendar
from datetime import date
from typing import Any

from flask import flash, redirect, request, url_for

from service.adapters.calendar_source import ADJUSTED_WORKDAY
from service.domain.messages import render
from service.operations import calendar
from service.operations.errors import ValidationFailed
from service.web import bp
from service.web.common import context, me, page, when
from service.web.i18n import known, language, t

WALL_CALENDAR = Calendar(firstweekday=0)  # weeks start on Monday
KINDS = {"workday": True, "rest": False}  # the form's choice → is_workday


def _today() -> date:
    return context().now().astimezone(context().tz).date()


def _kind(day: dict[str, Any]) -> str:
    """workday, weekend, holiday (a day off on a weekday or with a name) or adjusted (a worked weekend)."""
    weekend = day["day"].weekday() >= 5
    if day["is_workday"]:
        return "adjusted" if weekend else "workday"
    return "holiday" if day["name"] or not weekend else "weekend"


def holiday_label(name: str) -> str:
    """A stored name in the page's language: the official names have English, others stay as stored."""
    parts = [t(f"calendar.holiday.{part}") if known(f"calendar.holiday.{part}") else part
             for part in name.split("、")]
    return ("、" if language() == "zh" else ", ").join(parts)


def _state(is_workday: bool | None, name: str) -> str:
    words = t("calendar.kind.workday") if is_workday else t("calendar.kind.rest")
    return f"{words} · {holiday_label(name)}" if name else words


def _title(day: dict[str, Any], kind: str) -> str:
    """What hovering a day tells: the date, what it is, where that comes from (who set it, when)."""
    parts = [f"{day['day'].isoformat()} {t('calendar.weekday_long.' + str(day['day'].weekday()))}",
             t(f"calendar.kind.{kind}")]
    if day["name"]:
        parts.append(holiday_label(day["name"]))
    parts.append(t(f"calendar.source.{day['source']}"))
    if day["source"] == "admin":
        parts.append(t("calendar.set_by", who=day["updated_by"], at=when(day["updated_at"])))
    return " · ".join(parts)


def _cell(day: dict[str, Any], today: date, previous: dict[str, Any] | None) -> dict[str, Any]:
    """A day of the grid; a holiday's name is written on its first day, as on a wall calendar."""
    kind = _kind(day)
    starts_run = previous is None or previous["name"] != day["name"] or day["day"].day == 1
    return {**day, "iso": day["day"].isoformat(), "kind": kind, "label": holiday_label(day["name"]),
            "show_name": bool(day["name"]) and day["name"] != ADJUSTED_WORKDAY and starts_run,
            "override": day["source"] == "admin", "today": day["day"] == today, "title": _title(day, kind)}


def _months(year: int, days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    today = _today()
    cells = {d["day"]: _cell(d, today, days[i - 1] if i else None) for i, d in enumerate(days)}
    return [{"number": month, "weeks": [[cells[d] if d.month == month else None for d in week]
                                        for week in WALL_CALENDAR.monthdatescalendar(year, month)]}
            for month in range(1, 13)]


def _before(before: dict[str, Any] | None) -> str:
    if not before:
        return t("calendar.trail.unset")
    said, source = _state(before.get("is_workday"), before.get("name") or ""), f"calendar.source.{before.get('source')}"
    return f"{said} ({t(source)})" if known(source) else said


def _trail(year: int) -> list[dict[str, Any]]:
    return [{**change, "before_text": _before(change["before"]),
             "after_text": _state(change["is_workday"], change["name"] or "")}
            for change in calendar.override_trail(context(), year)]


def _form_for(days: list[dict[str, Any]], picked: str) -> dict[str, str]:
    """The override form filled with the day clicked (its current state), or empty."""
    found = next((d for d in days if d["day"].isoformat() == picked), None)
    if found is None:
        return {"day": "", "kind": "", "name": "", "now": ""}
    return {"day": picked, "kind": "workday" if found["is_workday"] else "rest", "name": found["name"],
            "now": _state(found["is_workday"], found["name"])}


def _show(year: int, status: int = 200, *, form: dict[str, str] | None = None,  # type: ignore[no-untyped-def]
          errors: dict[str, str] | None = None):
    shown = calendar.year_days(context(), year)
    warnings = [render("calendar.year_uncovered", language(), year=y)
                for y in calendar.uncovered_years(context(), year, year + 1)]
    return page("calendar.html", status, year=year, months=_months(year, shown["days"]), warnings=warnings,
                trail=_trail(year), form=form or _form_for(shown["days"], request.args.get("day", "")),
                errors=errors or {}, first=calendar.CALENDAR_YEARS.start, last=calendar.CALENDAR_YEARS.stop - 1,
                this_year=_today().year)


@bp.get("/admin/calendar")
def calendar_page():  # type: ignore[no-untyped-def]
    calendar.ensure_admin(context(), me()["username"])
    return _show(calendar.parse_year(request.args.get("year") or str(_today().year)))


@bp.post("/admin/calendar")
def calendar_override():  # type: ignore[no-untyped-def]
    calendar.ensure_admin(context(), me()["username"])
    form = {key: request.form.get(key, "") for key in ("day", "kind", "name")}
    try:
        changed = calendar.override_day(context(), day=form["day"], is_workday=KINDS.get(form["kind"]),
                                        name=form["name"], actor=me()["username"])
    except ValidationFailed as refused:
        year = _form_year(form["day"], request.form.get("year", ""))
        return _show(year, 400, form={**form, "now": ""}, errors=refused.field_errors(language()))
    day = changed["day"]
    flash(t("calendar.saved", day=day.isoformat(), kind=t(f"calendar.form.{form['kind']}")), "success")
    return redirect(url_for("web.calendar_page", year=day.year, day=day.isoformat(), _anchor=f"d{day.isoformat()}"))


def _form_year(day: str, shown: str) -> int:
    """The year to show again under a refused form: the day's, else the year that was shown, else this one."""
    for text in (day[:4], shown):
        try:
            return calendar.parse_year(text)
        except ValidationFailed:
            continue
    return _today().year
