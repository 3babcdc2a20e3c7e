"""Organisation in the API: the directory for user pickers, and the department tree (staff only)."""

from __future__ import annotations

import re

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.domain.messages import Message
from service.operations import org_views
from service.operations.errors import ValidationFailed

DEFAULT_LIMIT, MAX_LIMIT = 50, 500


def _limit() -> int:
    text = request.args.get("limit", "")
    if not text:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_LIMIT:
        raise ValidationFailed("query.limit_refused", {"limit": Message("query.whole_number", {"max": MAX_LIMIT})})
    return int(text)


@bp.get("/users")
@signed_in
def list_users():  # type: ignore[no-untyped-def]
    """Active people for user pickers: `?role=` a role id, `?q=` part of the user or display name, `?limit=`."""
    return jsonify(org_views.pick_users(context(), actor=caller(), role=request.args.get("role") or None,
                                        q=request.args.get("q"), limit=_limit()))


@bp.get("/departments")
@signed_in
def list_departments():  # type: ignore[no-untyped-def]
    """The department tree: each department with its leader, people and sub-departments."""
    return jsonify(org_views.department_tree(context(), actor=caller()))
