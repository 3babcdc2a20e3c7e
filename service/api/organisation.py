"""Organisation in the API: the directory for user pickers, the department tree (staff only), and the
.xlsx import (administrators): a refused import lists each problem as a code for programs and a sentence
in the caller's language."""

from __future__ import annotations

import re
from dataclasses import asdict

from flask import jsonify, request

from service.adapters.org_workbook import MAX_FILE_BYTES
from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import problem
from service.api.language import language
from service.domain.messages import Message
from service.operations import org_import, org_views, users
from service.operations.errors import Forbidden, ValidationFailed

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


@bp.post("/organisation/import")
@signed_in
def import_organisation():  # type: ignore[no-untyped-def]
    """multipart: `file` (an .xlsx workbook with sheets 人员 and 部门). All or nothing: a refusal (400) has
    `problems`, each with `sheet`, `row`, `column`, `code`, `params` and `message` in the caller's language."""
    actor = caller()
    if not users.has_role(context(), actor, "admin"):
        raise Forbidden("organisation.admin_only", user=actor)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise ValidationFailed("document.no_file", {"file": Message("document.no_file")})
    try:
        report = org_import.import_organisation(context(), sent.read(MAX_FILE_BYTES + 1), actor=actor)
    except org_import.ImportRejected as exc:
        lang = language()
        return problem(400, exc.message, errors=exc.field_errors(lang),
                       problems=[p.as_json(lang) for p in exc.problems])
    return jsonify({**asdict(report), "changed": report.changed})
