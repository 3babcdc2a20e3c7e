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
from service.api.language import language
from service.domain.input_limits import DEFAULT_LIMITS, InputRejected, Limits, parse_json
from service.domain.messages import Message
from service.engine.problems import DefinitionInvalid
from service.operations.errors import OperationError, ValidationFailed

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          409: "Conflict", 413: "Payload Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests",
          500: "Internal Server Error"}
HTTP_CODES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429)  # each has its sentence `http.<status>`
MAX_JSON_BYTES = 4 * 1024 * 1024
log = logging.getLogger("guicheng.http")


def problem(status: int, detail: str | Message, **extra: object) -> Response:
    """`detail` in the caller's language; a message also gives its `code` and `params` for programs."""
    said = {"detail": detail.render(language()), **detail.as_json()} if isinstance(detail, Message) else {
        "detail": detail}
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, **said, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")


def log_unexpected(exc: BaseException) -> str:
    """Log the traceback under a new id, for the answer to name."""
    log_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s on %s %s", log_id, request.method, request.path, exc_info=exc)
    return log_id


def unexpected_problem(exc: BaseException) -> Response:
    log_id = log_unexpected(exc)
    return problem(500, Message("http.internal", {"log_id": log_id}), log_id=log_id)


def http_problem(exc: HTTPException) -> Response:
    code = exc.code or 500
    response = problem(code, Message(f"http.{code}" if code in HTTP_CODES else "http.other", {"status": code}))
    if code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def operation_problem(exc: OperationError) -> Response:
    if isinstance(exc, ValidationFailed):
        codes = {key: value.as_json() for key, value in exc.errors.items() if isinstance(value, Message)}
        extra = {"error_codes": codes} if codes else {}
        return problem(400, exc.message, errors=exc.field_errors(language()), **extra)
    return problem(exc.status, exc.message)


@bp.errorhandler(OperationError)
def _operation_error(exc: OperationError) -> Response:
    return operation_problem(exc)


@bp.errorhandler(DefinitionInvalid)
def _definition_invalid(exc: DefinitionInvalid) -> Response:
    return problem(400, Message("process.not_deployable"),
                   errors={f"{p.file}:{p.line or 0}:{p.element_id or '-'}": p.render(language()) for p in exc.problems})


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return http_problem(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    return unexpected_problem(exc)


def json_body(limits: Limits = DEFAULT_LIMITS, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    """The request's JSON object, inside the input limits (field errors name the JSON path); an endpoint
    whose members carry whole files (the editor's drafts) passes wider limits."""
    if not request.is_json:
        raise ValidationFailed("body.not_json", {"": Message("body.object_expected")})
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise ValidationFailed("body.too_large", {"": Message("body.size", {"size": len(raw), "max": max_bytes})})
    try:
        data = parse_json(raw, limits)
    except InputRejected as exc:
        raise ValidationFailed("body.refused", exc.errors) from exc
    if not isinstance(data, dict):
        raise ValidationFailed("body.not_object", {"": Message("body.object_expected")})
    return data


def object_field(body: dict, key: str) -> dict:
    """A member of the body that must be a JSON object (absent means empty)."""
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise ValidationFailed("body.member_not_object", {key: Message("body.object_expected")}, member=key)
    return value
