"""The working-day calendar over the API: a year's days, an admin's overrides, deadline previews."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.api.language import language
from service.api.openapi import BODIES
from service.domain.messages import render
from service.operations import calendar

BODIES[("put", "/api/v1/calendar/days/{day}")] = {
    "type": "object", "required": ["is_workday"], "properties": {
        "is_workday": {"type": "boolean", "description": "true: a working day; false: a day off"},
        "name": {"type": "string", "maxLength": calendar.NAME_MAX, "description": "holiday or reason, e.g. 国庆节"}}}


def _day(day: dict[str, Any]) -> dict[str, Any]:
    updated_at = day["updated_at"]
    return {"day": day["day"].isoformat(), "is_workday": day["is_workday"], "name": day["name"],
            "source": day["source"], "updated_by": day["updated_by"],
            "updated_at": updated_at.isoformat() if updated_at else None}


@bp.get("/calendar/<year>")
@signed_in
def calendar_year(year: str):  # type: ignore[no-untyped-def]
    """A year's days: working day or not, the holiday's name, where each day comes from."""
    shown = calendar.year_days(context(), calendar.parse_year(year))
    warning = None if shown["covered"] else render("calendar.year_uncovered", language(), year=shown["year"])
    return jsonify({"year": shown["year"], "covered": shown["covered"], "warning": warning,
                    "days": [_day(d) for d in shown["days"]]})


@bp.put("/calendar/days/<day>")
@signed_in
def calendar_day_set(day: str):  # type: ignore[no-untyped-def]
    """An admin's override of one day (e.g. next year's State Council notice), audited."""
    user = caller()
    calendar.ensure_admin(context(), user)  # refused before the body is read
    body = json_body()
    return jsonify(_day(calendar.override_day(context(), day=day, is_workday=body.get("is_workday"),
                                              name=body.get("name", ""), actor=user)))


@bp.get("/calendar/working-day-end")
@signed_in
def calendar_working_day_end():  # type: ignore[no-untyped-def]
    """End of working day N from a receipt time: the timer picker's deadline preview."""
    due = calendar.working_day_end(context(), day_number=request.args.get("day", ""),
                                   start=request.args.get("from", ""))
    return jsonify({"due": due.isoformat()})
