"""The process editor's endpoints: drafts, their checks and deploy, the catalogue the properties panel
offers (roles, operations, forms, processes, decision tables) and expression checks as you type."""

from __future__ import annotations

from flask import Response, jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, problem
from service.api.language import language
from service.api.openapi import BODIES
from service.domain.input_limits import Limits
from service.domain.messages import Message
from service.engine.problems import DefinitionInvalid
from service.engine.safe_eval import MAX_SOURCE_CHARS
from service.engine.xml_safety import MAX_XML_BYTES
from service.operations import process_catalogue, process_drafts, version_list
from service.operations.errors import ValidationFailed

# a draft carries whole diagrams as strings: each may be as large as an uploaded file
DRAFT_LIMITS = Limits(max_string=MAX_XML_BYTES)
MAX_DRAFT_BODY = 24 * 1024 * 1024
_TEXTS = {"type": "object", "additionalProperties": {"type": "string"}}
BODIES[("put", "/api/v1/process-drafts/{process_id}")] = {
    "type": "object", "required": ["files", "forms"], "properties": {
        "files": {**_TEXTS, "description": "<process_id>.bpmn, <id>.dmn → XML text"},
        "forms": {**_TEXTS, "description": "formKey → form-js JSON text"},
        "translations": {**_TEXTS, "description": "<process_id>.en.json, forms/<formKey>.en.json → JSON text"},
        "base_version": {"type": "integer", "nullable": True, "minimum": 1}}}
BODIES[("post", "/api/v1/process-drafts")] = {
    "type": "object", "required": ["process_id", "name"], "properties": {
        "process_id": {"type": "string", "pattern": "^[a-z][a-z0-9_]{2,63}$"},
        "name": {"type": "string", "maxLength": process_drafts.MAX_NAME},
        "template": {"type": "string", "enum": ["blank"]},
        "role": {"type": "string", "description": "the role of the lane (default sales)"}}}
BODIES[("post", "/api/v1/process-editor/check")] = {
    "type": "object", "required": ["expression", "kind"], "properties": {
        "expression": {"type": "string", "maxLength": MAX_SOURCE_CHARS},
        "kind": {"type": "string", "enum": list(process_catalogue.CHECK_KINDS)}}}


@bp.get("/process-editor/catalogue")
@signed_in
def editor_catalogue():  # type: ignore[no-untyped-def]
    """Roles, operations, forms, processes, decisions and deadline variables the properties panel offers."""
    process_id = request.args.get("process_id") or None
    return jsonify(process_catalogue.catalogue(context(), process_id, actor=caller(), lang=language()))


@bp.post("/process-editor/check")
@signed_in
def editor_check():  # type: ignore[no-untyped-def]
    """Check a condition, script, timer or assignee as the deploy would; the variables it reads."""
    process_drafts.require_may_read(context(), caller())
    body = json_body()
    expression, kind = body.get("expression"), body.get("kind")
    errors: dict[str, str | Message] = {}
    if not isinstance(expression, str) or not expression.strip() or len(expression) > MAX_SOURCE_CHARS:
        errors["expression"] = Message("editor.expression_missing", {"max": MAX_SOURCE_CHARS})
    if kind not in process_catalogue.CHECK_KINDS:
        errors["kind"] = Message("editor.check_kind", {"known": ", ".join(process_catalogue.CHECK_KINDS)})
    if errors or not isinstance(expression, str) or not isinstance(kind, str):
        raise ValidationFailed("editor.check_refused", errors)
    return jsonify(process_catalogue.check(expression, kind, language()))


@bp.get("/process-drafts/<process_id>")
@signed_in
def get_draft(process_id: str):  # type: ignore[no-untyped-def]
    """The draft of a process, or its latest version when no draft is saved (is_draft false)."""
    return jsonify(process_drafts.get_draft(context(), process_id, actor=caller()))


@bp.put("/process-drafts/<process_id>")
@signed_in
def save_draft(process_id: str):  # type: ignore[no-untyped-def]
    """Save the editor's files, forms and translations as the process's draft."""
    actor = caller()
    process_drafts.require_may_change(context(), actor)
    body = json_body(DRAFT_LIMITS, MAX_DRAFT_BODY)
    extra = {"base_version": body["base_version"]} if "base_version" in body else {}
    return jsonify(process_drafts.save_draft(context(), process_id, actor=actor, files=body.get("files"),
                                             forms=body.get("forms"), translations=body.get("translations"),
                                             **extra))


@bp.delete("/process-drafts/<process_id>")
@signed_in
def discard_draft(process_id: str):  # type: ignore[no-untyped-def]
    """Discard the draft (the deployed versions stay as they are)."""
    process_drafts.discard_draft(context(), process_id, actor=caller())
    return Response(status=204)


@bp.post("/process-drafts/<process_id>/validate")
@signed_in
def validate_draft(process_id: str):  # type: ignore[no-untyped-def]
    """The checks of `guicheng validate` over the draft: problems refuse a deploy, warnings do not."""
    return jsonify(process_drafts.validate_draft(context(), process_id, actor=caller(), lang=language()))


@bp.post("/process-drafts/<process_id>/deploy")
@signed_in
def deploy_draft(process_id: str):  # type: ignore[no-untyped-def]
    """Deploy the draft as the process's next version; the draft is removed."""
    try:
        result = process_drafts.deploy_draft(context(), process_id, actor=caller())
    except DefinitionInvalid as exc:
        return problem(400, Message("editor.not_deployable", {"count": len(exc.problems)}),
                       problems=[process_drafts.problem_dict(p, language()) for p in exc.problems],
                       errors={f"{p.file}:{p.line or 0}:{p.element_id or '-'}": p.render(language())
                               for p in exc.problems})
    return jsonify({"process_id": result.process_id, "version": result.version, "created": result.created}), (
        201 if result.created else 200)


@bp.post("/process-drafts")
@signed_in
def new_draft():  # type: ignore[no-untyped-def]
    """A new process as a draft, from a template (start event, one user task with its form, end event)."""
    actor = caller()
    process_drafts.require_may_change(context(), actor)
    body = json_body()
    return jsonify(process_drafts.new_draft(context(), actor=actor, process_id=body.get("process_id"),
                                            name=body.get("name"), template=body.get("template", "blank"),
                                            role=body.get("role"))), 201


@bp.get("/process-definitions/<process_id>/versions")
@signed_in
def list_versions(process_id: str):  # type: ignore[no-untyped-def]
    """The deployed versions, newest first, with their running and finished cases."""
    return jsonify(version_list.versions(context(), process_id, actor=caller(), lang=language()))


@bp.get("/process-definitions/<process_id>/versions/<int:version>")
@signed_in
def get_version(process_id: str, version: int):  # type: ignore[no-untyped-def]
    """One deployed version's files, forms and translations."""
    return jsonify(version_list.version(context(), process_id, version, actor=caller()))
