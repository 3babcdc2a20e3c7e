"""Versions of a process side by side: what changed between two, and moving running cases to another."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.api.language import language
from service.api.openapi import BODIES
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import Message
from service.operations import migration
from service.operations.errors import ValidationFailed

MAX_CASES = 10_000  # one request; "all" has no such limit

BODIES[("post", "/api/v1/process-definitions/{process_id}/migration")] = {
    "type": "object", "required": ["to", "instance_ids"], "properties": {
        "to": {"type": "integer", "minimum": 1, "description": "the version to move the cases to"},
        "instance_ids": {"oneOf": [
            {"type": "array", "maxItems": MAX_CASES,
             "items": {"type": "integer", "minimum": 1, "maximum": DATABASE_ID_MAX}},
            {"type": "string", "enum": ["all"]}]}}}


def _version(value: Any, name: str, refusal: str) -> int:
    """A version number as a query parameter (text) or a body member (an integer)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 9:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= DATABASE_ID_MAX:
        raise ValidationFailed(refusal, {name: Message("versions.version_format")})
    return value


def _instance_ids(value: Any) -> list[int] | str:
    if value == "all":
        return "all"
    if isinstance(value, list) and len(value) <= MAX_CASES and all(
            isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= DATABASE_ID_MAX for i in value):
        return list(value)
    said = Message("migration.instance_ids", {"all": '"all"'})
    raise ValidationFailed("migration.request_refused", {"instance_ids": said})


@bp.get("/process-definitions/<process_id>/diff")
@signed_in
def version_diff(process_id: str):  # type: ignore[no-untyped-def]
    """What changed from version `from` to version `to`: elements, forms, decision tables, translations."""
    old = _version(request.args.get("from"), "from", "versions.query_refused")
    new = _version(request.args.get("to"), "to", "versions.query_refused")
    return jsonify(migration.compare(context(), process_id, old, new, actor=caller()))


@bp.get("/process-definitions/<process_id>/migration")
@signed_in
def migration_preview(process_id: str):  # type: ignore[no-untyped-def]
    """The running cases on other versions: whether each can move to version `to`, and why not."""
    to = _version(request.args.get("to"), "to", "versions.query_refused")
    found = migration.preview(context(), process_id, to, actor=caller())
    return jsonify(migration.said(found, language()))


@bp.post("/process-definitions/<process_id>/migration")
@signed_in
def migrate_cases(process_id: str):  # type: ignore[no-untyped-def]
    """Move the chosen running cases (or "all") to version `to`; those that cannot move are refused."""
    body = json_body()
    to = _version(body.get("to"), "to", "migration.request_refused")
    wanted = _instance_ids(body.get("instance_ids"))
    done = migration.migrate(context(), process_id, to, wanted, actor=caller())
    return jsonify(migration.said(done, language()))
