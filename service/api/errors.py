"""Every API error as application/problem+json; validation errors carry per-field messages.

Anything unexpected becomes a 500 with a `log_id`: the traceback goes to the
log under that id and never to the caller.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Response, json, request
from werkzeug.exceptions import HTTPException

from service.api import bp
from service.domain.input_limits import InputRejected, parse_json
from service.engine.problems import DefinitionInvalid
from service.operations.errors import OperationError, ValidationFailed

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          409: "Conflict", 413: "Payload Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests",
          500: "Internal Server Error"}
MAX_JSON_BYTES = 4 * 1024 * 1024
log = logging.getLogger("guicheng.http")


def problem(status: int, detail: str, **extra: object) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")


def log_unexpected(exc: BaseException) -> str:
    """Log the traceback under a new id, for the answer to name."""
    log_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s on %s %s", log_id, request.method, request.path, exc_info=exc)
    return log_id


def unexpected_problem(exc: BaseException) -> Response:
    log_id = log_unexpected(exc)
    return problem(500, f"服务器内部错误，错误编号 {log_id} (internal error, log id {log_id})", log_id=log_id)


def http_problem(exc: HTTPException) -> Response:
    code = exc.code or 500
    detail = {404: "no such endpoint", 405: "method not allowed", 413: "request body too large"}.get(
        code, exc.description or TITLES.get(code, "error"))
    response = problem(code, detail)
    if code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def operation_problem(exc: OperationError) -> Response:
    if isinstance(exc, ValidationFailed):
        return problem(400, str(exc.args[0]), errors=exc.errors)
    return problem(exc.status, str(exc))


@bp.errorhandler(OperationError)
def _operation_error(exc: OperationError) -> Response:
    return operation_problem(exc)


@bp.errorhandler(DefinitionInvalid)
def _definition_invalid(exc: DefinitionInvalid) -> Response:
    return problem(400, "the process definition is not deployable",
                   errors={f"{p.file}:{p.line or 0}:{p.element_id or '-'}": p.message for p in exc.problems})


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return http_problem(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    return unexpected_problem(exc)


def json_body() -> dict[str, Any]:
    """The request's JSON object, inside the input limits (field errors name the JSON path)."""
    if not request.is_json:
        raise ValidationFailed("request body must be a JSON object (Content-Type: application/json)",
                               {"": "expected a JSON object"})
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        raise ValidationFailed("request body too large", {"": f"{len(raw)} bytes, at most {MAX_JSON_BYTES} of JSON"})
    try:
        data = parse_json(raw)
    except InputRejected as exc:
        raise ValidationFailed("request body refused", exc.errors) from exc
    if not isinstance(data, dict):
        raise ValidationFailed("request body must be a JSON object", {"": "expected a JSON object"})
    return data


def object_field(body: dict, key: str) -> dict:
    """A member of the body that must be a JSON object (absent means empty)."""
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise ValidationFailed(f"{key} must be an object", {key: "expected a JSON object"})
    return value
