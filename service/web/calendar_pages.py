"""The admin's calendar page: the year's working days, holidays and 调休 days, overrides and their trail."""

from __future__ import annotations

from service.web import bp
from service.web.common import page


@bp.get("/admin/calendar")
def calendar_page():  # type: ignore[no-untyped-def]
    """Placeholder until the calendar page lands."""
    return page("error.html", 404, code=404, detail="", message="")
