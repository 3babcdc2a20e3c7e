"""退回 (send back) and 加签 (add a signer): the rules, apart from the engine and the database.

加签 is a one-off approval step in one case: the diagram does not change. "before" puts the extra
signer ahead of the holder (the task waits until the signer has signed); "after" lets the holder
fill the form first, and the engine step completes only once the signer agrees. A signer who
disagrees hands the task back to its holder with the reason.
"""

from __future__ import annotations

from typing import Any

from .input_limits import text_problem
from .messages import Message

POSITIONS = ("before", "after")
AGREE, DISAGREE = "agree", "disagree"
MAX_REASON = 2000

SIGNER_FORM: dict[str, Any] = {
    "id": "Form_signer", "type": "default", "schemaVersion": 16,
    "components": [
        {"id": "Field_decision", "key": "decision", "type": "radio", "label": "加签意见",
         "values": [{"label": "同意", "value": AGREE}, {"label": "不同意", "value": DISAGREE}],
         "validate": {"required": True}},
        {"id": "Field_comment", "key": "comment", "type": "textarea", "label": "说明",
         "validate": {"maxLength": MAX_REASON}},
    ],
}
SIGNER_FORM_WORDS = {"加签意见": "Your decision as added signer", "同意": "Agree", "不同意": "Disagree",
                     "说明": "Comment"}  # the English of SIGNER_FORM, as a form's translation file would give it


def reason_problem(reason: Any, *, required: bool = True) -> Message | None:
    """Why a reason or comment text cannot be recorded, or None."""
    if not isinstance(reason, str) or not reason.strip():
        return Message("text.required", {"what": Message("what.reason")}) if required else None
    return text_problem(reason, max_length=MAX_REASON)


def position_problem(position: Any) -> Message | None:
    if position not in POSITIONS:
        return Message("signer.position", {"value": str(position)[:40]})
    return None


def signer_refusal(*, holder: str, signer: str, signer_is_active_staff: bool,
                   has_open_signer: bool, holder_is_customer: bool = False) -> Message | None:
    """Why `holder` may not add `signer` to the task, or None. A customer's contact signs their own
    tasks and brings nobody of ours in (nor learns who works here from the list)."""
    if holder_is_customer:
        return Message("signer.customer", {"user": holder})
    if signer == holder:
        return Message("signer.self", {"user": signer})
    if not signer_is_active_staff:
        return Message("signer.not_staff", {"user": signer[:64]})
    if has_open_signer:
        return Message("signer.already_open")
    return None


def disagreement_note(signer_name: str, comment: str) -> str:
    return f"加签人 {signer_name} 不同意：{comment or '—'}"  # a record on the task, like a mail: in Chinese
