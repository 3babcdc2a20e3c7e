"""Contract approval: the chain by type and importance (decision tables), the approvers the organisation
names for the applicant, the secondary-sales review, return for revision and rejection."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ca_walk import LEVEL_TASKS, approve_all, data, do, start
from tests.processes.walk import mail_body, mails, open_elements, task

SALES1 = ["sales1@demo.guicheng.local"]


def _tasks_of(ctx, user: str, case: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case]


def test_a_normal_sales_contract_goes_to_the_applicants_group_leader_then_the_technical_director_and_finance(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    assert data(ctx, case)["chain_rule"] == "销售和咨询服务合同·一般：销售组长、技术总监、财务"
    assert _tasks_of(ctx, "sales_lead1", case) == ["approve_sales_lead"]
    assert _tasks_of(ctx, "sales_lead2", case) == []  # the other group's leader neither sees nor may do it
    with pytest.raises(Forbidden):
        do(ctx, case, "approve_sales_lead", actor="sales_lead2")
    with pytest.raises(Forbidden):
        do(ctx, case, "approve_sales_lead", actor="sales1")  # nobody approves their own contract
    assert approve_all(ctx, case) == ["approve_sales_lead", "approve_tech_director", "approve_finance"]
    shown = data(ctx, case)
    assert (shown["status"], shown["contract_no"]) == ("approved", "XS-2026-0001")
    assert shown["sales_lead_opinion"] == "同意" and shown["finance_decision"] == "approve"
    (approved,) = [m for m in mails(ctx, case) if "已批准" in m["subject"]]
    assert approved["to"] == SALES1 and approved["cc"] == ["management1@demo.guicheng.local"]
    assert "XS-2026-0001" in approved["subject"]
    assert open_elements(ctx, case) == ["sign_contract"]


def test_the_technical_directors_level_goes_to_the_head_of_the_technical_department_only(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    do(ctx, case, "approve_sales_lead")
    assert _tasks_of(ctx, "tech_director1", case) == ["approve_tech_director"]
    assert _tasks_of(ctx, "tech_director2", case) == []
    with pytest.raises(Forbidden):
        do(ctx, case, "approve_tech_director", actor="tech_director2")


def test_importance_follows_the_amount_and_changes_the_approvers(ctx):  # type: ignore[no-untyped-def]
    important = start(ctx, amount=300000)
    assert data(ctx, important)["importance_class"] == "important"
    assert approve_all(ctx, important) == ["approve_sales_lead", "approve_regional_director", "approve_tech_director",
                                           "approve_finance"]
    major = start(ctx, amount=1500000)
    assert data(ctx, major)["importance_class"] == "major"
    assert approve_all(ctx, major) == list(LEVEL_TASKS)
    raised = start(ctx, amount=50000, importance="major")  # sales may class it higher than the amount does
    assert data(ctx, raised)["importance_class"] == "major"
    assert "approve_company_director" in approve_all(ctx, raised)


def test_the_regional_and_company_directors_are_the_applicants_own(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, actor="sales3", amount=1500000)  # 销售二组: sales_lead2, then sales_director1, sales_director2
    assert _tasks_of(ctx, "sales_lead2", case) == ["approve_sales_lead"]
    assert _tasks_of(ctx, "sales_lead1", case) == []
    do(ctx, case, "approve_sales_lead", actor="sales_lead2")
    assert _tasks_of(ctx, "sales_director1", case) == ["approve_regional_director"]
    assert _tasks_of(ctx, "sales_director2", case) == []


@pytest.mark.parametrize(("contract_type", "chain"), [
    ("technical_service", ["approve_sales_lead", "approve_tech_director"]),
    ("brand_operation", ["approve_sales_lead", "approve_regional_director"]),
    ("network_engineering", ["approve_sales_lead", "approve_tech_director", "approve_finance"]),
])
def test_each_contract_type_has_its_own_chain(ctx, contract_type, chain):  # type: ignore[no-untyped-def]
    case = start(ctx, contract_type=contract_type, doc_improvement_proposal=None, product_lines=[])
    assert approve_all(ctx, case) == chain


def test_a_group_leaders_own_contract_skips_the_group_leader_level(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, actor="sales_lead1", amount=300000)
    assert "sales_lead" in data(ctx, case)["approvers"]["left_out"]
    assert approve_all(ctx, case) == ["approve_regional_director", "approve_tech_director", "approve_finance"]


def test_the_company_directors_own_major_contract_goes_to_nobody_of_his_own_rank(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, actor="sales_director2", amount=1500000)
    assert set(data(ctx, case)["approvers"]["left_out"]) == {"sales_lead", "regional_director", "company_director"}
    assert approve_all(ctx, case) == ["approve_tech_director", "approve_finance"]


def test_a_secondary_sales_contract_cannot_be_approved_without_the_review(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, contract_type="secondary_sales", original_contract_no="XS-2025-0042")
    assert open_elements(ctx, case) == ["review_secondary_sale"]  # no approval level opens before it
    assert _tasks_of(ctx, "sales_lead1", case) == []
    do(ctx, case, "review_secondary_sale", {"original_paid": "partly", "review_result": "fail",
                                            "review_opinion": "原合同尾款未回"})
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "review_failed"
    assert "contract_no" not in shown["data"] or not shown["data"]["contract_no"]
    (failed,) = [m for m in mails(ctx, case) if "复核未通过" in m["subject"]]
    assert failed["to"] == SALES1
    assert "XS-2025-0042" in mail_body(ctx, case, failed["subject"]) and "原合同尾款未回" in mail_body(
        ctx, case, failed["subject"])


def test_a_secondary_sales_contract_names_its_original_and_passes_the_review_before_approval(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        start(ctx, contract_type="secondary_sales")
    assert "original_contract_no" in refused.value.errors
    case = start(ctx, contract_type="secondary_sales", original_contract_no="XS-2025-0042")
    assert approve_all(ctx, case) == ["review_secondary_sale", "approve_sales_lead", "approve_tech_director",
                                      "approve_finance"]
    assert data(ctx, case)["contract_no"] == "EX-2026-0001"


def test_a_returned_contract_is_revised_and_approved_again_from_the_first_level(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    do(ctx, case, "approve_sales_lead")
    do(ctx, case, "approve_tech_director", {"approval_decision": "return", "approval_opinion": "付款条款需修改"})
    assert open_elements(ctx, case) == ["revise_contract"]
    (returned,) = [m for m in mails(ctx, case) if "退回修改" in m["subject"]]
    assert returned["to"] == SALES1
    assert queries.get_task(ctx, task(ctx, case, "revise_contract")["id"], actor="sales1")["data"][
        "last_opinion"] == "付款条款需修改"
    with pytest.raises(Forbidden):
        do(ctx, case, "revise_contract", actor="sales2")  # the applicant revises, not a colleague
    do(ctx, case, "revise_contract", {"amount": 400000})  # now important: the regional director joins
    lead_form = queries.get_task(ctx, task(ctx, case, "approve_sales_lead")["id"], actor="sales_lead1")["data"]
    assert lead_form.get("approval_decision") is None and lead_form.get("approval_opinion") is None
    assert approve_all(ctx, case) == ["approve_sales_lead", "approve_regional_director", "approve_tech_director",
                                      "approve_finance"]
    assert data(ctx, case)["status"] == "approved"


def test_a_rejected_contract_ends_without_a_number(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "approve_sales_lead", {"approval_decision": "reject", "approval_opinion": ""})
    assert list(refused.value.errors) == ["approval_opinion"]
    do(ctx, case, "approve_sales_lead", {"approval_decision": "reject", "approval_opinion": "客户信用不足"})
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "rejected"
    assert not shown["data"].get("contract_no")
    (rejected,) = [m for m in mails(ctx, case) if "未获批准" in m["subject"]]
    assert rejected["to"] == SALES1
    assert queries.show_case(ctx, start(ctx))["data"].get("contract_no") is None  # nothing was reserved


def test_a_sales_contract_needs_the_improvement_proposal_and_a_draft(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        start(ctx, doc_improvement_proposal=None, doc_contract_draft=None)
    assert {"doc_improvement_proposal", "doc_contract_draft"} <= set(refused.value.errors)
    with pytest.raises(Forbidden):
        start(ctx, actor="engineer1")  # contracts are submitted by sales
