"""POST /api/v1/messages: deliver a named BPMN message with correlation keys (CONTRACT.md).

The answer names the cases the message reached and any case it started; 404 when no case the caller
may act on waits for it (the same answer whether other cases exist or not); 400 naming the field."""

from __future__ import annotations

from flask import Response, jsonify

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.operations.message_delivery import deliver_message


@bp.post("/messages")
@signed_in
def send_message() -> Response:
    """Deliver a BPMN message {"name", "correlation", "data"} to the waiting cases, or start one with it."""
    body = json_body()
    delivery = deliver_message(context(), actor=caller(), name=body.get("name"), correlation=body.get("correlation"),
                               data=body.get("data"))
    return jsonify(delivery.as_dict())
