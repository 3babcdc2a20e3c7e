"""Incidents (steps the worker could not do) and cancelling a case: administrators and process owners."""

from __future__ import annotations

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body
from service.operations import incidents, users
from service.operations.errors import Forbidden

READERS = {"admin", "process_owner", "auditor"}


def _reason() -> str:
    value = json_body().get("reason")
    return value if isinstance(value, str) else ""


@bp.get("/incidents")
@signed_in
def list_incidents():  # type: ignore[no-untyped-def]
    if not any(users.has_role(context(), caller(), role) for role in READERS):
        raise Forbidden("incident.may_not_list", user=caller())
    status = request.args.get("status", "open")
    return jsonify(incidents.list_incidents(context(), status=None if status == "all" else status))


@bp.post("/incidents/<int:incident_id>/retry")
@signed_in
def retry_incident(incident_id: int):  # type: ignore[no-untyped-def]
    return jsonify(incidents.retry_incident(context(), incident_id=incident_id, actor=caller()))


@bp.post("/incidents/<int:incident_id>/cancel")
@signed_in
def cancel_incident(incident_id: int):  # type: ignore[no-untyped-def]
    incidents.cancel_incident_case(context(), incident_id=incident_id, actor=caller(), reason=_reason())
    return jsonify({"incident_id": incident_id, "status": "cancelled"})


@bp.post("/process-instances/<int:instance_id>/cancel")
@signed_in
def cancel_case(instance_id: int):  # type: ignore[no-untyped-def]
    incidents.cancel_case(context(), instance_id=instance_id, actor=caller(), reason=_reason())
    return jsonify({"id": instance_id, "status": "cancelled"})
