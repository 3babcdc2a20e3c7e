"""Negotiation of the commercial contract and the technical agreement, the outcome, and the hand-off of a won
pursuit to the contract approval; a pursuit of sales3 (the other sales group) belongs to sales3's side."""

from __future__ import annotations

import pytest

from service.operations import background, case_starts, queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ps_walk import advance_to, data, do, mail_body, mails, open_elements, start, tasks_of, walk_to_end
from tests.processes.walk import upload

NO_TENDER = {"research_checklist": {"tender": "no", "likely_evaluators": []}}


def test_a_won_tender_ends_won_with_customer_project_and_amount_and_asks_for_the_contract_approval(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    steps = walk_to_end(ctx, case)
    assert steps[-3:] == ["negotiate_commercial", "technical_agreement", "record_outcome"]
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed"
    found = shown["data"]
    assert (found["status"], found["customer"], found["project"], found["amount"]) == (
        "won", "欧莱雅", "总部信息化平台", 950000)
    won = mails(ctx, case)[-1]
    assert won["subject"] == "【赢单】欧莱雅--总部信息化平台"
    assert (won["to"], sorted(won["cc"])) == (["sales1@demo.guicheng.local"], [
        "engineer1@demo.guicheng.local", "tech_director1@demo.guicheng.local"])
    assert "讲标与答疑：工时 4，已确认" in mail_body(ctx, case, won["subject"])
    assert {a["document"] for a in found["archived"]} >= {"doc_tender", "doc_technical_bid", "doc_commercial_contract"}
    [asked] = case_starts.case_starts_of(ctx, case)
    assert (asked["process_id"], asked["status"], asked["business_key"]) == (
        "contract_approval", "pending", "欧莱雅 / 总部信息化平台")
    assert background.run_once(ctx).cases_opened == 1
    [asked] = case_starts.case_starts_of(ctx, case)
    contract = queries.show_case(ctx, asked["case_id"])
    assert (contract["process_id"], contract["started_by"], contract["status"]) == (
        "contract_approval", "sales1", "running")
    terms = contract["data"]
    assert (terms["customer"], terms["project"], terms["amount"], terms["contract_type"]) == (
        "欧莱雅", "总部信息化平台", 950000, "sales_consulting")
    assert terms["doc_contract_draft"] == found["doc_commercial_contract"] and terms["presales_case"] == case
    assert terms["doc_improvement_proposal"] == found["doc_improvement_proposal"]
    assert "决策人：李总（信息部）" in terms["customer_record"]
    assert "第1次客户交流：目标 让客户认可总体架构" in terms["follow_up"]
    assert [t["element_id"] for t in contract["open_tasks"]] == ["approve_sales_lead"]


def test_a_won_outcome_says_what_the_contract_needs(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "record_outcome", NO_TENDER)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "record_outcome", {"amount": None, "contract_type": None, "importance": None,
                                         "doc_improvement_proposal": None})
    assert sorted(refused.value.errors) == ["amount", "contract_type", "importance"]
    with pytest.raises(ValidationFailed) as refused:  # a sales contract comes with its improvement proposal
        do(ctx, case, "record_outcome", {"doc_improvement_proposal": None})
    assert list(refused.value.errors) == ["doc_improvement_proposal"]
    with pytest.raises(ValidationFailed) as refused:  # a secondary sale names its original contract
        do(ctx, case, "record_outcome", {"contract_type": "secondary_sales"})
    assert list(refused.value.errors) == ["original_contract_no"]


def test_a_technical_service_contract_follows_without_an_improvement_proposal(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, tender="no")
    walk_to_end(ctx, case, {**NO_TENDER, "record_outcome": {"contract_type": "technical_service",
                                                            "doc_improvement_proposal": None}})
    assert data(ctx, case)["status"] == "won"
    assert [e["kind"] for e in data(ctx, case)["engagements"]] == ["exchange"]  # no bid, no presentation
    background.run_once(ctx)
    [asked] = case_starts.case_starts_of(ctx, case)
    assert asked["status"] == "done"
    contract = queries.show_case(ctx, asked["case_id"])
    assert contract["data"]["contract_type"] == "technical_service"
    assert "doc_improvement_proposal" not in asked["data"]


def test_lost_in_negotiation_ends_lost_with_its_reason_and_no_contract(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "record_outcome", NO_TENDER)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "record_outcome", {"outcome": "lost"})
    assert list(refused.value.errors) == ["lost_reason"]
    do(ctx, case, "record_outcome", {"outcome": "lost", "lost_reason": "客户预算取消"})
    found = data(ctx, case)
    assert (found["status"], found["lost_reason"]) == ("lost", "客户预算取消")
    assert case_starts.case_starts_of(ctx, case) == []
    assert mails(ctx, case)[-1]["subject"] == "【丢单】欧莱雅--总部信息化平台"
    assert "客户预算取消" in mail_body(ctx, case, "【丢单】欧莱雅--总部信息化平台")


def test_the_negotiation_drafts_the_commercial_contract_and_the_technical_agreement(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "negotiate_commercial", NO_TENDER)
    assert tasks_of(ctx, "sales1", case) == ["negotiate_commercial"]
    assert tasks_of(ctx, "engineer1", case) == ["technical_agreement"]
    with pytest.raises(Forbidden):  # the contract's prices stay with sales
        do(ctx, case, "negotiate_commercial", actor="engineer1")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "technical_agreement", {"doc_technical_agreement": None})
    assert list(refused.value.errors) == ["doc_technical_agreement"]
    do(ctx, case, "technical_agreement")
    do(ctx, case, "negotiate_commercial", {"doc_commercial_contract": upload(ctx, "商务合同.docx", "合同")})
    assert open_elements(ctx, case) == ["record_outcome"]
    found = data(ctx, case)
    assert (found["agreed_amount"], found["agreed_scope"]) == (950000, "会员中心、营销、渠道三个子系统")


def test_a_pursuit_of_sales3_is_sales3s_and_their_group_leaders(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, actor="sales3")
    advance_to(ctx, case, "sales_background", starter="sales3")
    assert tasks_of(ctx, "sales3", case) == ["sales_background"]
    with pytest.raises(Forbidden):
        do(ctx, case, "sales_background", actor="sales1")
    assert queries.show_case(ctx, case, actor="sales_lead2")["id"] == case
    for outsider in ("sales_lead1", "sales1", "sales4"):
        with pytest.raises(Forbidden):
            queries.show_case(ctx, case, actor=outsider)
    walk_to_end(ctx, case, {**NO_TENDER, "confirm_hours": {}}, starter="sales3")
    found = data(ctx, case)
    assert found["status"] == "won"
    assert mails(ctx, case)[-1]["to"] == ["sales3@demo.guicheng.local"]
    background.run_once(ctx)
    [asked] = case_starts.case_starts_of(ctx, case)
    assert queries.show_case(ctx, asked["case_id"])["started_by"] == "sales3"
