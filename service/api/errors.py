"""Every API error as application/problem+json; validation errors carry per-field messages."""

from __future__ import annotations

from flask import Response, json

from service.api import bp
from service.engine.problems import DefinitionInvalid
from service.operations.errors import OperationError, ValidationFailed

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
          413: "Payload Too Large", 422: "Unprocessable Entity"}


def problem(status: int, detail: str, **extra: object) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")


@bp.errorhandler(OperationError)
def _operation_error(exc: OperationError) -> Response:
    if isinstance(exc, ValidationFailed):
        return problem(400, str(exc.args[0]), errors=exc.errors)
    return problem(exc.status, str(exc))


@bp.errorhandler(DefinitionInvalid)
def _definition_invalid(exc: DefinitionInvalid) -> Response:
    return problem(400, "the process definition is not deployable",
                   errors={f"{p.file}:{p.line or 0}:{p.element_id or '-'}": p.message for p in exc.problems})


@bp.errorhandler(404)
def _not_found(_exc: Exception) -> Response:
    return problem(404, "no such endpoint")


@bp.errorhandler(405)
def _method(_exc: Exception) -> Response:
    return problem(405, "method not allowed")


def json_body() -> dict:
    from flask import request
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed("request body must be a JSON object", {"": "expected a JSON object"})
    return data


def object_field(body: dict, key: str) -> dict:
    """A member of the body that must be a JSON object (absent means empty)."""
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise ValidationFailed(f"{key} must be an object", {key: "expected a JSON object"})
    return value
