"""JSON API under /api/v1 (CONTRACT.md); errors are problem+json (api/errors.py)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def load_endpoints() -> None:
    """Import the endpoint modules, whose routes join `bp`; the application factory calls this before it
    registers the blueprint. Not at import time: commands that only need a helper of this package
    (texts, words) then start without loading every endpoint."""
    from service.api import (  # noqa: F401
        after_sales,
        after_sales_lists,
        audit_events,
        audit_verify,
        calendar,
        case_moves,
        case_search,
        errors,
        evidence,
        health,
        incidents,
        messages,
        openapi,
        organisation,
        printables,
        process_editor,
        process_versions,
        processes,
        replay,
        task_actions,
        tasks,
        tokens,
        what_if,
    )
