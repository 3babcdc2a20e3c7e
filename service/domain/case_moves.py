"""退回 (send back) and 加签 (add a signer): the rules, apart from the engine and the database.

加签 is a one-off approval step in one case: the diagram does not change. "before" puts the extra
signer ahead of the holder (the task waits until the signer has signed); "after" lets the holder
fill the form first, and the engine step completes only once the signer agrees. A signer who
disagrees hands the task back to its holder with the reason.
"""

from __future__ import annotations

from typing import Any

from .input_limits import text_problem

POSITIONS = ("before", "after")
AGREE, DISAGREE = "agree", "disagree"
MAX_REASON = 2000

SIGNER_FORM: dict[str, Any] = {
    "id": "Form_signer", "type": "default", "schemaVersion": 16,
    "components": [
        {"id": "Field_decision", "key": "decision", "type": "radio", "label": "加签意见 (decision)",
         "values": [{"label": "同意 (agree)", "value": AGREE}, {"label": "不同意 (disagree)", "value": DISAGREE}],
         "validate": {"required": True}},
        {"id": "Field_comment", "key": "comment", "type": "textarea", "label": "说明 (comment)",
         "validate": {"maxLength": MAX_REASON}},
    ],
}


def reason_problem(reason: Any, *, required: bool = True) -> str | None:
    """Why a reason or comment text cannot be recorded, or None."""
    if not isinstance(reason, str) or not reason.strip():
        return "请填写原因 (a reason is required)" if required else None
    return text_problem(reason, max_length=MAX_REASON)


def position_problem(position: Any) -> str | None:
    if position not in POSITIONS:
        return f"加签位置应为 before 或 after (position must be one of {', '.join(POSITIONS)}, got {position!r})"
    return None


def signer_refusal(*, holder: str, signer: str, signer_is_active_staff: bool,
                   has_open_signer: bool) -> str | None:
    """Why `holder` may not add `signer` to the task, or None."""
    if signer == holder:
        return "不能给自己加签 (you cannot add yourself as a signer)"
    if not signer_is_active_staff:
        return f"'{signer}' 不是在职员工 (not an active member of staff)"
    if has_open_signer:
        return "此任务已有待签的加签人 (this task already waits for an added signer)"
    return None


def disagreement_note(signer_name: str, comment: str) -> str:
    return f"加签人 {signer_name} 不同意 (the added signer disagrees)：{comment or '—'}"
