"""Pages for process owners (read-only for auditors): processes and versions, the modeler, the form and
decision-table editors, the diff between versions and migrating running cases."""

from __future__ import annotations

from service.web import bp
from service.web.common import page


@bp.get("/processes")
def process_list():  # type: ignore[no-untyped-def]
    """Placeholder until the processes page lands."""
    return page("error.html", 404, code=404, detail="", message="")
