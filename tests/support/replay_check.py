"""After a test has driven its cases, every one of them must replay from its log to what is stored."""

from __future__ import annotations

from service.operations import replay
from service.operations.context import AppContext
from service.operations.replay_log import stored_case_ids


def assert_every_case_replays(ctx: AppContext) -> int:
    """Replay every case with a history; fail naming each that diverges. Returns how many replayed."""
    with ctx.db.reading() as session:
        ids = stored_case_ids(session)
    diverged = [result.said("en") for case_id in ids if not (result := replay.replay_case(ctx, case_id)).ok]
    assert not diverged, "\n".join(diverged)
    return len(ids)
