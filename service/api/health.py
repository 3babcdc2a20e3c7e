"""Health: 200 when the database answers."""

from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import text

from service.api import bp
from service.api.errors import log_unexpected


@bp.get("/health")
def health():  # type: ignore[no-untyped-def]
    """200 when the database answers."""
    context = current_app.extensions["guicheng"]
    try:
        with context.db.reading() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # the health check reports, never raises; the reason goes to the log only
        return jsonify({"status": "error", "database": "unavailable", "log_id": log_unexpected(exc)}), 503
    return jsonify({"status": "ok", "database": context.db.engine.dialect.name})
