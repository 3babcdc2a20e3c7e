"""JSON API under /api/v1 (CONTRACT.md); errors are problem+json (api/errors.py)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from service.api import (  # noqa: E402,F401
    calendar,
    case_moves,
    case_search,
    errors,
    health,
    incidents,
    openapi,
    organisation,
    printables,
    process_editor,
    process_versions,
    processes,
    task_actions,
    tasks,
    tokens,
)
