"""A won pursuit asks for its contract approval: a `contract_approval` case the worker opens once.

Why a request and not a write: operations never touch the database, and a case started inside this
step would share its transaction (see contract_hand_off.py). Why these keys only: the contract
request's start form (forms/contract_approval/contract_request.form) refuses any key it does not
declare, so the request carries its fields and nothing else. The customer record and the follow-up
it requires are written from what presales learnt: the assessment, the agreed scope, the engagements.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import ServiceContext
from .registry import operation

CONTRACT_PROCESS = "contract_approval"
TEXT_LIMIT = 4000  # the start form's textareas
BACKGROUND_WORDS = (("customer_wants", "客户需求"), ("technical_preferences", "技术倾向"),
                    ("decision_maker", "决策人"), ("competitors", "竞争对手"), ("agreed_scope", "约定的范围"))
KIND_WORDS = {"exchange": "客户交流", "presentation": "讲标与答疑"}


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def customer_record(background: Mapping[str, Any]) -> str:
    """What presales knows of the customer, one line per fact, as the contract's customer record."""
    lines = [f"{words}：{_text(background.get(key))}" for key, words in BACKGROUND_WORDS if _text(background.get(key))]
    return ("\n".join(lines) or "售前支持案例中的客户资料")[:TEXT_LIMIT]


def follow_up(engagements: list[Any]) -> str:
    """The pursuit's engagements (exchanges, the presentation) with their goals and outcomes."""
    lines = []
    for row in engagements:
        if not isinstance(row, Mapping):
            continue
        kind = KIND_WORDS.get(str(row.get("kind")), "售前活动")
        number = f"第{row.get('round')}次" if row.get("round") else ""
        lines.append(f"{number}{kind}：目标 {_text(row.get('goal')) or '—'}；结果 {_text(row.get('outcome')) or '—'}")
    return ("\n".join(lines) or "售前支持案例中的客户跟进")[:TEXT_LIMIT]


@operation("presales_contract_request",
           required=("customer", "project", "contract_type", "importance", "amount", "contract_draft"),
           optional=("improvement_proposal", "original_contract_no", "contact", "background", "engagements"))
def presales_contract_request(ctx: ServiceContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Ask for the won pursuit's contract approval (a `contract_approval` case the worker opens) with the
    negotiated commercial contract as its draft. Returns the request as recorded."""
    given, rows = params.get("background"), params.get("engagements")
    background: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    engagements: list[Any] = rows if isinstance(rows, list) else []
    data: dict[str, Any] = {
        "customer": _text(params["customer"]), "project": _text(params["project"]),
        "contract_type": params["contract_type"], "importance": params["importance"], "amount": params["amount"],
        "customer_record": customer_record(background), "follow_up": follow_up(engagements),
        "doc_contract_draft": params["contract_draft"], "presales_case": ctx.instance_id}
    optional = {"doc_improvement_proposal": params.get("improvement_proposal"),
                "original_contract_no": params.get("original_contract_no"), "contact": params.get("contact")}
    data.update({key: value for key, value in optional.items() if value not in (None, "")})
    key = f"{data['customer']} / {data['project']}"
    request = {"process_id": CONTRACT_PROCESS, "business_key": key[:256], "data": data}
    ctx.case_starts.append(request)
    return request
