"""A case replayed from its log over the API: the verdict, and the frames of the step-through page.

The verdict is for whoever may see the case (it reveals no field); the frames show every field at
every step, so they are for viewers who read all cases (auditor, admin, process owner)."""

from __future__ import annotations

from flask import Response, jsonify

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.operations.replay import replay_case
from service.operations.replay_frames import replay_frames
from service.web.replay_pages import frames_in_words


@bp.get("/process-instances/<int:instance_id>/replay")
@signed_in
def replay(instance_id: int) -> Response:
    """Replay the case from its log: whether it reproduces the stored state, else at which event it diverges."""
    result = replay_case(context(), instance_id, actor=caller()).as_dict(language())
    return jsonify({key: result[key] for key in ("ok", "diverges_at", "events", "steps", "differences")})


@bp.get("/process-instances/<int:instance_id>/replay/frames")
@signed_in
def replay_frames_of(instance_id: int) -> Response:
    """The case after each event: path on its version's diagram, actor, time, role, data changes, documents."""
    ctx, lang = context(), language()
    return jsonify(frames_in_words(ctx, replay_frames(ctx, instance_id, actor=caller(), lang=lang), lang))
