"""What-if over the API: the last finished cases of a process walked on its draft, before deploying it."""

from __future__ import annotations

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, problem
from service.api.language import language
from service.api.openapi import BODIES
from service.domain.messages import Message
from service.engine.problems import DefinitionInvalid
from service.operations import process_drafts, what_if

BODIES[("post", "/api/v1/process-drafts/{process_id}/what-if")] = {
    "type": "object", "properties": {
        "cases": {"type": "integer", "minimum": 1, "maximum": what_if.MAX_CASES, "default": what_if.DEFAULT_CASES,
                  "description": "how many of the last finished cases to walk on the draft"}}}


@bp.post("/process-drafts/<process_id>/what-if")
@signed_in
def draft_what_if(process_id: str):  # type: ignore[no-untyped-def]
    """The last finished cases walked on the draft: which take the same path, another one, fail or stop."""
    actor = caller()
    process_drafts.require_may_change(context(), actor)
    body = json_body() if request.get_data(cache=True) else {}
    try:
        return jsonify(what_if.what_if(context(), process_drafts.known_id(process_id), actor=actor,
                                       cases=body.get("cases"), lang=language()))
    except DefinitionInvalid as exc:
        return problem(400, Message("what_if.not_checkable", {"count": len(exc.problems)}),
                       problems=[process_drafts.problem_dict(p, language()) for p in exc.problems],
                       errors={f"{p.file}:{p.line or 0}:{p.element_id or '-'}": p.render(language())
                               for p in exc.problems})
