"""The auditors' search over every case's history (placeholder until the search lands)."""

from __future__ import annotations

from service.web import bp
from service.web.common import page


@bp.get("/audit")
def audit_events():  # type: ignore[no-untyped-def]
    return page("error.html", 404, detail="")
