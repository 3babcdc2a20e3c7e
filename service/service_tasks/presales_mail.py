"""The presales pursuit's mails: request, assignment, effort, the 24-hour report's reminder and escalation,
the report to sales for the hours, a failed bid check, won and lost.

Why templates of their own: these mails name the pursuit (customer, project, the presales engineer), not
the technical-support subject format. Why `fallback_to`: the late report goes to the engineer's superior
(上级), and an engineer without one must still be reported, to the technical directors, rather than the
step failing because nobody was named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.domain.mail_templates import Template

from .context import ServiceContext
from .recipients import check_recipients, specs
from .registry import operation
from .template_mail import known_template, send_template

EFFORT_WORDS = {"full": "全力投入", "standard": "正常投入", "limited": "有限投入", "minimal": "最低投入"}
CONFIRMATION_WORDS = {"confirmed": "已确认", "disputed": "有异议", "waived": "免确认"}


def _fmt(value: Any) -> str:
    return str(value).replace("T", " ")[:16] if value else "—"


def _text(d: Mapping[str, Any], key: str) -> str:
    return str(d.get(key) or "").strip() or "—"


def _pursuit(d: Mapping[str, Any]) -> str:
    return f"{_text(d, 'customer')}--{_text(d, 'project')}"


def _hours_line(d: Mapping[str, Any]) -> str:
    if d.get("hours_confirmation_required"):
        return "请在案例中确认工时。"
    return f"按工时确认规则免确认：{_text(d, 'hours_rule')}"


def _report(d: Mapping[str, Any]) -> str:
    hours = d.get("hours_spent")
    return (f"{_text(d, 'engagement_title')}：工时 {'—' if hours is None else hours} 小时。\n"
            f"{_text(d, 'sales_report')}\n客户提出的未解决问题：{_text(d, 'open_questions')}")


def _engagements(d: Mapping[str, Any]) -> str:
    given = d.get("engagements")
    rows: list[Any] = given if isinstance(given, list) else []
    lines = [f"- {'讲标与答疑' if r.get('kind') == 'presentation' else '第' + str(r.get('round')) + '次交流'}："
             f"工时 {r.get('hours_spent')}，{CONFIRMATION_WORDS.get(str(r.get('hours_confirmation')), '—')}"
             for r in rows if isinstance(r, Mapping)]
    return "\n".join(lines) or "—"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], Template]] = {
    "presales_requested": lambda d: Template(
        f"【售前支持申请】{_pursuit(d)}--{_text(d, 'started_by')}",
        f"销售 {_text(d, 'started_by')} 申请售前支持：{_pursuit(d)}。\n项目概况：{_text(d, 'project_summary')}\n"
        "请在案例中指派售前工程师。"),
    "engineer_assigned": lambda d: Template(
        f"【售前支持】已指派售前工程师--{_pursuit(d)}",
        f"{_pursuit(d)} 的售前工程师：{_text(d, 'engineer')}。请与销售一起分析项目背景。"),
    "effort_decided": lambda d: Template(
        f"【售前支持】投入程度--{_pursuit(d)}",
        f"{_pursuit(d)}：{_text(d, 'effort_rule')}。\n工时确认：{_text(d, 'hours_rule')}"),
    "report_reminder": lambda d: Template(
        f"【提醒】售前报告将到期--{_pursuit(d)}",
        f"{_text(d, 'engagement_title')}的内部报告须在 {_fmt(d.get('report_due'))} 前提交（售前完成后 24 小时内）。"),
    "report_overdue": lambda d: Template(
        f"【超时】售前报告未在24小时内提交--{_pursuit(d)}",
        f"工程师 {_text(d, 'engineer')} 的{_text(d, 'engagement_title')}内部报告未在期限 {_fmt(d.get('report_due'))} "
        "前提交（售前完成后 24 小时内），请督促。"),
    "hours_report": lambda d: Template(
        f"【售前报告】{_text(d, 'engagement_title')}--{_pursuit(d)}",
        f"{_report(d)}\n\n{_hours_line(d)}"),
    "hours_disputed": lambda d: Template(
        f"【工时异议】{_text(d, 'engagement_title')}--{_pursuit(d)}",
        f"销售对 {_text(d, 'engineer')} 的工时有异议：报告 {d.get('hours_spent')} 小时，销售认可 "
        f"{d.get('confirmed_hours')} 小时。理由：{_text(d, 'hours_note')}\n请技术总监协调。"),
    "bid_check_failed": lambda d: Template(
        f"【投标检查未通过】{_pursuit(d)}",
        f"资质和盖章的检查未通过，请修改商务标后重新检查：\n{_text(d, 'bid_check_problems')}"),
    "outcome_won": lambda d: Template(
        f"【赢单】{_pursuit(d)}",
        f"{_pursuit(d)} 赢单，合同金额 {d.get('amount')} 元。合同审批随后开始。\n售前工时：\n{_engagements(d)}"),
    "outcome_lost": lambda d: Template(
        f"【丢单】{_pursuit(d)}",
        f"{_pursuit(d)} 丢单。原因：{_text(d, 'lost_reason')}\n售前工时：\n{_engagements(d)}"),
}


@operation("presales_mail", required=("template", "to"), optional=("cc", "fallback_to"),
           checks={"to": check_recipients, "cc": check_recipients, "fallback_to": check_recipients,
                   "template": known_template(TEMPLATES)})
def presales_mail(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Mail a presales template to `to` (Cc `cc`); to `fallback_to` instead when `to` names nobody."""
    chosen = dict(params)
    fell_back = bool(params.get("fallback_to")) and not ctx.recipients(specs(params, "to"))[0]
    if fell_back:
        chosen["to"] = params["fallback_to"]
    return {**send_template(ctx, chosen, TEMPLATES, "presales"), "fallback": fell_back}
