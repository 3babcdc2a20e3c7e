"""Page labels: the messages a case waits for, sent from its page (a visit plan stopped by the desk)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "case_messages.title": "等待的消息",
    "case_messages.hint": "流程在这里等待外部决定；发送后流程按图继续，无法撤回。",
    "case_messages.note": "说明",
    "case_messages.send": "发送：{name}",
    "case_messages.sent": "消息已发送，案例已按流程继续。",
}

EN: dict[str, str] = {
    "case_messages.title": "Waiting for a message",
    "case_messages.hint": "The process waits here for a decision from outside; once sent, it goes on as drawn and "
                          "cannot be undone.",
    "case_messages.note": "Note",
    "case_messages.send": "Send: {name}",
    "case_messages.sent": "Message sent; the case has moved on as drawn.",
}
