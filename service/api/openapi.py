"""The OpenAPI document, built from the registered routes so it cannot drift from them."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, jsonify
from werkzeug.routing import IntegerConverter, Rule

from service.api import bp
from service.api.case_search import QUERY_PARAMETERS
from service.domain.input_limits import DATABASE_ID_MAX

PROBLEM = {"description": "problem+json", "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}
TASK = {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "process_id": {"type": "string"},
    "instance_id": {"type": "integer"}, "role": {"type": "string"},
    "due_at": {"type": "string", "format": "date-time", "nullable": True},
    "form": {"type": "object", "description": "form-js definition", "nullable": True}}}
_TO_ONE = {"type": "object", "required": ["to"], "properties": {"to": {"type": "string", "description": "user name"}}}
_TO_MANY = {"type": "object", "required": ["to"], "properties": {"to": {"type": "array", "items": {"type": "string"}}}}
_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}}
_REASON = {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 2000}}}
# query parameters by (method, path): a module adds its own, like BODIES
QUERIES: dict[tuple[str, str], list[dict[str, Any]]] = {("get", "/api/v1/process-instances"): QUERY_PARAMETERS}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/process-instances"): {"type": "object", "required": ["process_id"], "properties": {
        "process_id": {"type": "string"}, "data": {"type": "object"},
        "business_key": {"type": "string", "maxLength": 256}}},
    ("post", "/api/v1/tasks/{task_id}/complete"): {"type": "object", "properties": {"data": {"type": "object"}}},
    ("post", "/api/v1/tokens"): {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 128},
        "days": {"type": "integer", "minimum": 1, "maximum": 3650, "default": 90}}},
    # the 审批 actions
    ("post", "/api/v1/tasks/{task_id}/transfer"): _TO_ONE,
    ("post", "/api/v1/tasks/{task_id}/delegate"): _TO_ONE,
    ("post", "/api/v1/tasks/{task_id}/copy"): _TO_MANY,
    ("post", "/api/v1/process-instances/{instance_id}/copy"): _TO_MANY,
    ("post", "/api/v1/tasks/{task_id}/comments"): _TEXT,
    ("post", "/api/v1/process-instances/{instance_id}/comments"): _TEXT,
    ("post", "/api/v1/process-instances/{instance_id}/withdraw"): _REASON,
    ("post", "/api/v1/tasks/{task_id}/send-back"): {"type": "object", "required": ["to_task", "reason"], "properties": {
        "to_task": {"type": "integer"}, "reason": {"type": "string", "maxLength": 2000}}},
    ("post", "/api/v1/tasks/{task_id}/add-signer"): {"type": "object", "required": ["to"], "properties": {
        "to": {"type": "string"}, "position": {"type": "string", "enum": ["before", "after"]},
        "text": {"type": "string", "maxLength": 2000}}},
    ("post", "/api/v1/messages"): {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "maxLength": 256, "description": "the name of a bpmn:message"},
        "correlation": {"type": "object", "description": "correlation property ids or case variables and their "
                        "values; business_key compares the case's business key",
                        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"},
                                                           {"type": "boolean"}]}},
        "data": {"type": "object", "description": "the payload: it becomes case variables (or the diagram's "
                 "message variable)"}}},
}
STATUSES = {"get": ["200", "400", "401", "403", "404", "500"],
            "post": ["200", "201", "400", "401", "403", "404", "409", "413", "500"],
            "put": ["200", "400", "401", "403", "404", "409", "413", "500"],
            "delete": ["204", "401", "403", "404", "500"]}
DATABASE_ID = {"type": "integer", "format": "int32", "minimum": 0, "maximum": DATABASE_ID_MAX}


def _path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def _schema(rule: Rule, name: str) -> dict[str, Any]:
    return dict(DATABASE_ID) if isinstance(rule._converters.get(name), IntegerConverter) else {"type": "string"}


def _ok(status: str) -> dict[str, Any]:
    return {"description": "OK"} if status.startswith("2") else PROBLEM


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = _path(rule.rule)
        view = current_app.view_functions[rule.endpoint]
        for method in sorted(m.lower() for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {"operationId": rule.endpoint.replace("api.", ""),
                                  "summary": (view.__doc__ or rule.endpoint).strip().splitlines()[0],
                                  "responses": {s: _ok(s) for s in STATUSES.get(method, STATUSES["post"])}}
            if "{" in path:
                op["parameters"] = [{"name": n, "in": "path", "required": True, "schema": _schema(rule, n)}
                                    for n in re.findall(r"{(\w+)}", path)]
            if (method, path) in QUERIES:
                op["parameters"] = op.get("parameters", []) + QUERIES[(method, path)]
            if (method, path) in BODIES:
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": BODIES[(method, path)]}}}
            if path == "/api/v1/tasks" and method == "get":
                op["responses"]["200"] = {"description": "the caller's open tasks, a page of them", "content": {
                    "application/json": {"schema": {"type": "array", "items": TASK}}}, "headers": {"Link": {
                        "description": 'the next page: <…?after=CURSOR>; rel="next" (RFC 8288); absent on the last',
                        "schema": {"type": "string"}}}}
            paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "规程 Guicheng API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {"Problem": {"type": "object", "properties": {
                "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
                "errors": {"type": "object", "description": "per field (JSON path of the member): message",
                           "additionalProperties": {"type": "string"}},
                "log_id": {"type": "string", "description": "500 only: the id the server logged the error under"}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }


@bp.get("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    """This document."""
    return jsonify(document())
