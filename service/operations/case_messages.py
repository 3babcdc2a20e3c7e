"""The messages a running case waits for that a person may send from its page (停止回访计划, 客户撤回…).

A diagram that waits at a message catch event says "someone outside the diagram decides when"; the case
page offers that decision to the people who may send the message by the one sender rule of
`message_delivery` (involved in the case, or an administrator — reading every case is not acting on
it). Messages whose catch needs correlation values from outside are left to the API: the page cannot
know them. The note the sender writes reaches the case as the variable `message_note`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.engine import message_events
from service.persistence.models import ProcessInstance

from .access import visible_cases
from .case_store import load_workflow
from .context import AppContext
from .message_delivery import Delivery, acting_viewer, deliver_message

NOTE_VARIABLE = "message_note"


def waiting_messages(ctx: AppContext, case_id: int, actor: str) -> list[dict[str, Any]]:
    """[{name, element_id}] — each message the case waits for now that the actor may send from the page."""
    with ctx.db.reading() as session:
        viewer = acting_viewer(session, actor)
        instance = session.execute(select(ProcessInstance).where(
            ProcessInstance.id == case_id, ProcessInstance.status == "running", visible_cases(viewer))
        ).unique().scalar_one_or_none()
        if instance is None:
            return []
        workflow = load_workflow(ctx, instance)
    found: dict[str, dict[str, Any]] = {}
    for wait in message_events.message_waits(workflow):
        if not wait.properties and wait.message not in found:
            found[wait.message] = {"name": wait.message, "element_id": wait.element_id}
    return list(found.values())


def send_from_page(ctx: AppContext, case_id: int, actor: str, name: str, note: str) -> Delivery:
    """The message to this case alone, with the sender's note; refused like any message (404 when the
    case does not wait for it or the sender may not reach it, 400 for a bad note)."""
    return deliver_message(ctx, actor=actor, name=name, data={NOTE_VARIABLE: note} if note else {},
                           only_case=case_id)
