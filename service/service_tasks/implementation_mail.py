"""The implementation project's mails: the project manager named, the kickoff invitation, a signed change,
a rollout held back, the acceptance that starts the payment collection, payment reminders, paid in full.

Why templates of their own: these mails name the project (contract number, customer, project) rather than
the technical-support subject format; recipients are the relative ones of every mail operation (the
project manager is `var:project_manager`, the contacts of the customer `case_customer`), checked at deploy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.domain.mail_templates import Template

from .template_mail import template_mail_operation


def _project(d: Mapping[str, Any]) -> str:
    return f"{d.get('contract_no') or '—'} {d.get('customer') or '—'} {d.get('project') or ''}".strip()


def _said(d: Mapping[str, Any], key: str) -> str:
    return str(d.get(key) or "").strip() or "—"


def _yuan(value: Any) -> str:
    try:
        return f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return "—"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], Template]] = {
    "project_assigned": lambda d: Template(
        f"【实施项目】已指派项目经理--{_project(d)}",
        f"实施项目 {_project(d)} 由 {_said(d, 'project_manager')} 担任项目经理，负责项目实施和回款。"
        f"第一步：需求工作计划。指派说明：{_said(d, 'assignment_note')}"),
    "kickoff_invitation": lambda d: Template(
        f"【启动大会】邀请--{_project(d)}",
        f"实施项目 {_project(d)} 的启动大会定于 {_said(d, 'kickoff_on')}，地点 {_said(d, 'kickoff_place')}，"
        f"由 {_said(d, 'kickoff_executive')} 主持（一把手挂帅）。会上介绍双方项目团队成员和工作制度。"
        f"议程：{_said(d, 'kickoff_agenda')}"),
    "change_signed": lambda d: Template(
        f"【需求变更】顾客已签字确认--{_project(d)}",
        f"需求变更「{_said(d, 'change_title')}」已由顾客签字确认。对成本的影响：{_yuan(d.get('cost_impact'))} 元；"
        f"对进度的影响：{_said(d, 'schedule_impact_days')} 天。评估：{_said(d, 'impact_summary')}"),
    "rollout_blocked": lambda d: Template(
        f"【现场推广】推广条件未具备--{_project(d)}",
        f"实施项目 {_project(d)} 暂不能现场推广：{_said(d, 'rollout_gap')}。请补齐后重新检查推广条件。"),
    "acceptance_signed": lambda d: Template(
        f"【验收】顾客已验收签字，开始回款--{_project(d)}",
        f"实施项目 {_project(d)} 已由顾客验收签字。应回款 {_yuan(d.get('amount_due'))} 元，"
        f"由项目经理 {_said(d, 'project_manager')} 负责催收，财务登记到账。"),
    "payment_reminder": lambda d: Template(
        f"【回款提醒】尚有未回款--{_project(d)}",
        f"实施项目 {_project(d)} 尚有 {_yuan(d.get('outstanding'))} 元未回款（应回款 {_yuan(d.get('amount_due'))} 元，"
        f"已到账 {_yuan(d.get('paid_total'))} 元）。项目经理负责回款，请跟进。"),
    "project_paid": lambda d: Template(
        f"【实施项目】回款全部到账，项目结束--{_project(d)}",
        f"实施项目 {_project(d)} 已验收、召开结项大会，{_yuan(d.get('paid_total'))} 元回款全部到账，项目结束。"),
}


template_mail_operation("implementation_mail", TEMPLATES, "implementation",
                        "Mail an implementation-project template to the people the diagram names.")
