"""Texts of the procedure's notifications, in Chinese as staff receive them.

Each template builds a subject and a body from the case's variables; a
template used as a reply in the request's thread takes the thread's subject
instead (see ServiceContext.send).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


def _case(data: Mapping[str, Any]) -> str:
    return f"{data.get('customer') or '—'}--{data.get('project') or '—'}"


def _fmt(value: Any) -> str:
    return str(value).replace("T", " ")[:16] if value else "—"


def due_line(what: str, due: Any) -> str:
    """A line such as 确认期限：2026-09-30 18:00 — the due time a mail asks its readers to keep."""
    return f"{what}：{_fmt(due)}"


def _reason(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip() or "—"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], Template]] = {
    "confirm_reminder": lambda d: Template(
        f"【提醒】技术支持申请待确认--{_case(d)}",
        f"技术支持申请（{_case(d)}）尚未确认，确认期限：{_fmt(d.get('confirm_due'))}。"),
    "confirm_overdue": lambda d: Template(
        f"【超时】技术支持申请确认已超期--{_case(d)}",
        f"技术支持申请（{_case(d)}）已超过确认期限 {_fmt(d.get('confirm_due'))}，请立即处理。"),
    "response_overdue": lambda d: Template(
        f"【超时】技术支持响应已超期--{_case(d)}",
        f"工程师 {d.get('engineer') or ''} 尚未在响应期限 {_fmt(d.get('response_due'))} 前响应"
        f"技术支持申请（{_case(d)}），请技术总监协调。"),
    "application_missing": lambda d: Template(
        f"【催办】请补发技术支持申请--{_case(d)}",
        f"紧急技术支持（{_case(d)}）已由技术总监确认开展，请销售尽快按规范补发技术支持申请邮件。"),
    "accepted": lambda d: Template(
        "技术支持申请已受理",
        f"技术总监已受理本申请，指派工程师：{d.get('engineer') or '—'}。\n"
        f"{due_line('工程师响应期限', d.get('response_due'))}\n意见：{_reason(d, 'comment')}"),
    "emergency_refused": lambda d: Template(
        f"应急技术支持不予受理--{_case(d)}",
        f"技术总监未确认本次应急技术支持（{_case(d)}），不予支持。说明：{_reason(d, 'note')}\n"
        "如仍需支持，请按规范发送技术支持申请邮件。"),
    "refused": lambda d: Template(
        "技术支持申请未受理",
        f"技术总监未受理本申请。意见：{d.get('comment') or '—'}"),
    "not_supported": lambda d: Template(
        "技术支持终止",
        f"工程师评估：{d.get('assessment') or '—'}；决定：{d.get('decision') or '—'}。理由：{d.get('reason') or '—'}"),
    "deviation_outcome": lambda d: Template(
        "技术支持过程中的情况变化",
        f"情况变化（{d.get('deviation_kind') or '—'}，通过{'电话' if d.get('channel') == 'phone' else '邮件'}沟通）："
        f"{d.get('description') or '—'}\n确认结果：{d.get('outcome') or '—'}"),
    "completion": lambda d: Template(
        "技术支持完成确认",
        f"技术支持已在客户处完成，服务单已由 {d.get('signer') or '—'} 签字。\n{d.get('completion_summary') or ''}\n"
        f"请销售在收到本邮件后的一个工作日内回复确认，{due_line('回复期限', d.get('sales_confirm_due'))}；"
        "逾期未答复视为确认。"),
}


def render(name: str, data: Mapping[str, Any]) -> Template:
    if name not in TEMPLATES:
        raise ValueError(f"unknown mail template '{name}' (known: {', '.join(sorted(TEMPLATES))})")
    return TEMPLATES[name](data)
