"""Page labels: the calendar pages."""

from __future__ import annotations

ZH: dict[str, str] = {
    "calendar.nav": "工作日历",
}

EN: dict[str, str] = {
    "calendar.nav": "Calendar",
}
