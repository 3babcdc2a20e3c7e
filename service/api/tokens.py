"""API tokens: list, issue, revoke.

A new token needs a signed-in browser (or `guicheng token` at the server): a
token that could mint its successors would never really expire.
"""

from __future__ import annotations

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in, signed_in_by
from service.api.errors import json_body
from service.operations import tokens
from service.operations.errors import Forbidden


@bp.get("/tokens")
@signed_in
def list_tokens():  # type: ignore[no-untyped-def]
    """The caller's tokens (administrators: `?user=NAME` for someone else's)."""
    return jsonify(tokens.list_tokens(context(), actor=caller(), owner=request.args.get("user") or None))


@bp.post("/tokens")
@signed_in
def issue_token():  # type: ignore[no-untyped-def]
    """A new token for the caller: `{"name": text, "days": 1…3650}`; the secret is shown only now."""
    if signed_in_by() != "session":
        raise Forbidden("token.needs_session")
    body = json_body()
    days, name = body.get("days", tokens.DEFAULT_DAYS), body.get("name", "")
    issued = tokens.issue(context(), caller(), days=days, name=name, actor=caller())
    expires_at = issued.expires_at.astimezone(context().tz).isoformat()
    return jsonify({"id": issued.id, "name": issued.name, "expires_at": expires_at, "token": issued.token}), 201


@bp.delete("/tokens/<int:token_id>")
@signed_in
def revoke_token(token_id: int):  # type: ignore[no-untyped-def]
    """Revoke one of the caller's tokens (administrators: anyone's)."""
    tokens.revoke_token(context(), token_id=token_id, actor=caller())
    return "", 204
