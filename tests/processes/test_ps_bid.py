"""The bid (only with a tender): the split, the bid team with its supervisor and two different checkers,
the commercial bid, the price sheet only sales handles, the technical bid with its deviation table, the
seal and qualification checks by two people, the authorisation statement of a group-shared qualification,
the sealed hand-in with spare price sheets, the presentation with its 24-hour report, and the result."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ps_walk import (
    advance_to,
    at,
    data,
    do,
    mail_body,
    mails,
    open_elements,
    run_worker_at,
    start,
    task,
    tasks_of,
)
from tests.processes.walk import upload

SHARED = {"group_shared_qualification": "yes", "shared_qualifications": "系统集成一级资质（集团上海公司）"}


def test_without_a_tender_there_is_no_bid(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, tender="unknown")
    advance_to(ctx, case, "research_checklist")
    do(ctx, case, "research_checklist", {"tender": "no", "likely_evaluators": []})
    assert open_elements(ctx, case) == ["negotiate_commercial", "technical_agreement"]
    assert data(ctx, case)["status"] == "negotiation"


def test_with_a_tender_the_bid_starts_by_splitting_it_into_its_commercial_and_technical_parts(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "receive_tender")
    assert data(ctx, case)["status"] == "bid"
    assert tasks_of(ctx, "sales1", case) == ["receive_tender"]
    do(ctx, case, "receive_tender")
    assert tasks_of(ctx, "engineer1", case) == ["split_tender"]
    do(ctx, case, "split_tender")
    assert tasks_of(ctx, "sales1", case) == ["form_bid_team"]


def test_the_same_checker_twice_sends_the_bid_team_back(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "form_bid_team")
    do(ctx, case, "form_bid_team", {"second_checker": "sales2"})
    assert open_elements(ctx, case) == ["form_bid_team"]
    assert data(ctx, case)["team_problem"] == "第一检查人和第二检查人不能是同一人。"
    do(ctx, case, "form_bid_team", {"bid_plan": []})
    assert data(ctx, case)["team_problem"] == "投标计划至少要有一项工作并写明负责人。"
    with pytest.raises(ValidationFailed) as refused:  # each item of the plan has its owner
        do(ctx, case, "form_bid_team", {"bid_plan": [{"plan_item": "技术标"}]})
    assert list(refused.value.errors) == ["bid_plan[0].plan_owner"]
    do(ctx, case, "form_bid_team")
    assert open_elements(ctx, case) == ["commercial_bid", "price_sheet", "technical_bid"]


def test_the_team_is_built_around_the_authorised_person_and_its_supervisor_reads_the_case(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "form_bid_team")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "form_bid_team", {"authorised_person": "", "doc_power_of_attorney": None,
                                        "confidential_circle": False})
    assert sorted(refused.value.errors) == ["authorised_person", "confidential_circle", "doc_power_of_attorney"]
    with pytest.raises(ValidationFailed) as refused:  # the supervisor is a sales group leader
        do(ctx, case, "form_bid_team", {"bid_supervisor": "sales2"})
    assert list(refused.value.errors) == ["bid_supervisor"]
    with pytest.raises(Forbidden):
        queries.show_case(ctx, case, actor="sales_lead2")
    do(ctx, case, "form_bid_team", {"bid_supervisor": "sales_lead2"})
    assert queries.show_case(ctx, case, actor="sales_lead2")["id"] == case
    copied = mails(ctx, case)[-1]
    assert copied["to"] == ["sales_lead2@demo.guicheng.local"] and copied["subject"].startswith("【抄送】")


def test_only_sales_handles_the_price_sheet(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "price_sheet")
    assert tasks_of(ctx, "engineer1", case) == ["technical_bid"]
    assert "price_sheet" in tasks_of(ctx, "sales1", case)
    for outsider in ("engineer1", "sales2"):
        with pytest.raises(Forbidden):
            do(ctx, case, "price_sheet", actor=outsider)
    with pytest.raises(Forbidden):  # another salesperson does not even open it
        queries.get_task(ctx, task(ctx, case, "price_sheet")["id"], actor="sales2")
    with pytest.raises(ValidationFailed) as refused:  # one or two spare blank sheets and spare seals at least
        do(ctx, case, "price_sheet", {"spare_price_sheets": 0, "spare_seals": 0})
    assert sorted(refused.value.errors) == ["spare_price_sheets", "spare_seals"]
    do(ctx, case, "price_sheet")
    do(ctx, case, "commercial_bid")
    do(ctx, case, "technical_bid")
    assert (data(ctx, case)["spare_price_sheets"], data(ctx, case)["bid_price_total"]) == (2, 980000)


def test_the_technical_bid_needs_its_deviation_table(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "technical_bid")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "technical_bid", {"doc_deviation_table": None, "technical_in_order": False})
    assert sorted(refused.value.errors) == ["doc_deviation_table", "technical_in_order"]
    do(ctx, case, "technical_bid")
    do(ctx, case, "commercial_bid")
    do(ctx, case, "price_sheet")
    assert data(ctx, case)["doc_deviation_table"].endswith("/差异表.xlsx")
    assert open_elements(ctx, case) == ["check_bid_first"]


def test_a_group_shared_qualification_without_its_authorisation_statement_blocks_the_bid(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "commercial_bid")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "commercial_bid", SHARED)
    assert list(refused.value.errors) == ["doc_authorisation_statement"]
    with pytest.raises(ValidationFailed):  # nor in order without asking
        do(ctx, case, "commercial_bid", {"commercial_in_order": False, "nothing_unasked": False})
    assert "commercial_bid" in open_elements(ctx, case)
    do(ctx, case, "commercial_bid", {**SHARED, "doc_authorisation_statement": upload(ctx, "授权声明.pdf", "授权")})
    do(ctx, case, "price_sheet")
    do(ctx, case, "technical_bid")
    with pytest.raises(ValidationFailed) as refused:  # each checker ticks the authorisation statement too
        do(ctx, case, "check_bid_first")
    assert list(refused.value.errors) == ["authorisation_checked_first"]
    do(ctx, case, "check_bid_first", {"authorisation_checked_first": True})
    do(ctx, case, "check_bid_second", {"authorisation_checked_second": True})
    assert open_elements(ctx, case) == ["submit_bid"]


def test_one_checker_alone_cannot_pass_the_bid_check(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "check_bid_first")
    assert tasks_of(ctx, "sales2", case) == ["check_bid_first"]
    assert tasks_of(ctx, "sales3", case) == []
    with pytest.raises(Forbidden):
        do(ctx, case, "check_bid_first", actor="sales1")  # the bid's own salesperson is no checker here
    do(ctx, case, "check_bid_first")
    assert open_elements(ctx, case) == ["check_bid_second"]  # not handed in on one check
    with pytest.raises(Forbidden):
        do(ctx, case, "check_bid_second", actor="sales2")
    assert tasks_of(ctx, "sales3", case) == ["check_bid_second"]
    do(ctx, case, "check_bid_second")
    assert open_elements(ctx, case) == ["submit_bid"]


def test_the_second_check_handed_to_the_first_checker_is_still_refused_to_him(ctx):  # type: ignore[no-untyped-def]
    from service.operations import task_actions

    case = start(ctx)
    advance_to(ctx, case, "check_bid_second")
    task_actions.transfer_task(ctx, task_id=task(ctx, case, "check_bid_second")["id"], actor="sales3", to="sales2")
    with pytest.raises(Forbidden) as refused:
        do(ctx, case, "check_bid_second", actor="sales2")  # he checked first: two different people
    assert "两人分别办理" in refused.value.render("zh")
    assert open_elements(ctx, case) == ["check_bid_second"]


def test_a_failed_check_is_fixed_and_both_checkers_check_again(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "check_bid_first")
    do(ctx, case, "check_bid_first")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "check_bid_second", {"second_check_result": "fail"})
    assert list(refused.value.errors) == ["second_check_findings"]
    do(ctx, case, "check_bid_second", {"second_check_result": "fail", "second_check_findings": "资质证书复印件未盖章"})
    assert open_elements(ctx, case) == ["fix_bid"]
    failed = mails(ctx, case)[-1]
    assert failed["to"] == ["sales1@demo.guicheng.local"]
    assert "第二检查人：资质证书复印件未盖章" in mail_body(ctx, case, failed["subject"])
    assert data(ctx, case)["bid_check_problems"] == "第二检查人：资质证书复印件未盖章\n"
    with pytest.raises(ValidationFailed) as refused:  # a shared qualification brought in now needs its statement
        do(ctx, case, "fix_bid", SHARED)
    assert list(refused.value.errors) == ["doc_authorisation_statement"]
    do(ctx, case, "fix_bid")
    assert open_elements(ctx, case) == ["check_bid_first"]
    assert data(ctx, case)["first_check_result"] is None  # checked afresh
    do(ctx, case, "check_bid_first")
    do(ctx, case, "check_bid_second")
    assert open_elements(ctx, case) == ["submit_bid"]


def test_a_price_changed_on_a_spare_sheet_says_why(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "submit_bid")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "submit_bid", {"used_spare_price_sheet": "yes"})
    assert sorted(refused.value.errors) == ["doc_revised_price_sheet", "price_change_note"]
    do(ctx, case, "submit_bid", {"used_spare_price_sheet": "yes", "price_change_note": "对手报价低 5%",
                                 "doc_revised_price_sheet": upload(ctx, "调整后报价单.pdf", "新报价")})
    assert tasks_of(ctx, "engineer1", case) == ["present_bid"]


def test_the_presentation_report_is_due_within_24_hours_too(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "present_bid")
    clock.set(at("2026-10-21T16:00"))
    do(ctx, case, "present_bid")
    assert data(ctx, case)["report_due"] == "2026-10-22T16:00:00+08:00"
    assert data(ctx, case)["engagement_title"] == "讲标与答疑"
    run_worker_at(ctx, clock, "2026-10-22T16:00:01")
    (late,) = [m for m in mails(ctx, case) if m["subject"].startswith("【超时】")]
    assert late["to"] == ["tech_director1@demo.guicheng.local"]
    assert "讲标与答疑" in mail_body(ctx, case, late["subject"])
    do(ctx, case, "bid_report")
    assert open_elements(ctx, case) == ["confirm_bid_hours"]
    do(ctx, case, "confirm_bid_hours")
    engagements = data(ctx, case)["engagements"]
    assert [(e["kind"], e["hours_spent"], e["hours_confirmation"]) for e in engagements] == [
        ("exchange", 6, "confirmed"), ("presentation", 4, "confirmed")]
    assert open_elements(ctx, case) == ["bid_result"]


def test_a_lost_tender_ends_the_pursuit_as_lost(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "bid_result")
    do(ctx, case, "bid_result", {"bid_awarded": "no", "bid_result_note": "价格高于对手"})
    shown = queries.show_case(ctx, case)
    assert (shown["status"], shown["data"]["status"], shown["data"]["lost_reason"]) == (
        "completed", "lost", "价格高于对手")
    lost = mails(ctx, case)[-1]
    assert lost["subject"] == "【丢单】欧莱雅--总部信息化平台"
    assert (lost["to"], sorted(lost["cc"])) == (["sales1@demo.guicheng.local"], [
        "engineer1@demo.guicheng.local", "tech_director1@demo.guicheng.local"])
    assert "contract_request" not in shown["data"]
