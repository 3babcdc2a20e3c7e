"""The dispatch order's notifications: escalations to the desk lead, owed-part reminders, follow-ups.

Why templates of their own: these mails name the order (number, customer, serial number) rather than
the technical-support subject format; recipients are the relative ones of every mail operation (the
lead is `var:service_desk_lead`, found by `department_leader`), checked at deploy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.domain.mail_templates import Template

from .template_mail import template_mail_operation


def _fmt(value: Any) -> str:
    return str(value).replace("T", " ")[:16] if value else "—"


def _order(d: Mapping[str, Any]) -> str:
    return f"{d.get('order_no') or '—'} {d.get('customer') or '—'} {d.get('serial_no') or ''}".strip()


def _part(d: Mapping[str, Any]) -> str:
    found = d.get("owed_part")
    part: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    return f"{part.get('material_no') or '—'} {part.get('name') or ''} × {part.get('quantity') or '—'}"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], Template]] = {
    "on_site_overdue": lambda d: Template(
        f"【超时】售后派工单未在24小时内上门--{_order(d)}",
        f"派工单 {_order(d)}（{d.get('project') or '—'}，{d.get('address') or '—'}）的工程师 "
        f"{d.get('engineer') or '—'} 未在上门期限 {_fmt(d.get('on_site_due'))} 前到达现场，请协调。"),
    "fix_overdue": lambda d: Template(
        f"【超时】售后故障未在期限内修复--{_order(d)}",
        f"派工单 {_order(d)} 的故障（{d.get('fault_kind') or '—'}）未在修复期限 {_fmt(d.get('fix_due'))} 前修复。"
        + ("请安排备用机。" if d.get("spare_unit") else "请协调。")),
    "owed_part_reminder": lambda d: Template(
        f"【提醒】欠件尚未交付--{_order(d)}",
        f"派工单 {_order(d)} 放行时欠客户的零件尚未交付：{_part(d)}，"
        f"约定交付：{_fmt((d.get('owed_part') or {}).get('due'))}。"),
    "visit_dissatisfied": lambda d: Template(
        f"【回访】客户不满意，请跟进--{_order(d)}",
        f"派工单 {_order(d)} 回访结果：客户不满意。意见：{d.get('visit_comments') or '—'}"),
}


template_mail_operation("after_sales_mail", TEMPLATES, "after-sales",
                        "Mail a dispatch-order template to the people the diagram names.")
