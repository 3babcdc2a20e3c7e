"""The contract approval's mails: returned for revision, rejected, approved with its number, review failed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.domain.contract_numbering import type_words
from service.domain.mail_templates import Template

from .template_mail import template_mail_operation


def _contract(d: Mapping[str, Any]) -> str:
    kind = type_words(str(d.get("contract_type") or "")).zh
    return f"{d.get('contract_no') or ''} {kind} {d.get('customer') or '—'} {d.get('project') or ''}".strip()


def _opinion(d: Mapping[str, Any]) -> str:
    return str(d.get("last_opinion") or "—")


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], Template]] = {
    "contract_returned": lambda d: Template(
        f"【合同退回修改】{_contract(d)}",
        f"合同 {_contract(d)} 被退回修改。审批意见：{_opinion(d)}\n请修改后重新提交。"),
    "contract_rejected": lambda d: Template(
        f"【合同未获批准】{_contract(d)}",
        f"合同 {_contract(d)} 未获批准，审批结束。审批意见：{_opinion(d)}"),
    "contract_approved": lambda d: Template(
        f"【合同已批准】{_contract(d)}",
        f"合同 {_contract(d)} 已批准，合同编号 {d.get('contract_no') or '—'}。请安排签订、盖章和归档。"),
    "review_failed": lambda d: Template(
        f"【二次销售复核未通过】{_contract(d)}",
        f"二次销售合同 {_contract(d)}（原合同 {d.get('original_contract_no') or '—'}）复核未通过，不能送审。"
        f"复核意见：{d.get('review_opinion') or '—'}"),
}


template_mail_operation("contract_mail", TEMPLATES, "contract",
                        "Mail a contract-approval template to the people the diagram names.")
