"""Research in three phases with a daily log and the business analysis meeting; requirements of three kinds;
the implementation solution and plan, written again until the customer agrees it."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.im_walk import advance_to, data, do, open_elements, start, task, tasks_of


def test_research_runs_preparation_on_site_and_follow_up_then_the_business_analysis_meeting(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "prepare_research")
    with pytest.raises(ValidationFailed) as refused:  # phase one: the plan confirmed and booked, the background ready
        do(ctx, case, "prepare_research", {"research_plan_confirmed": False, "background_materials": ""})
    assert list(refused.value.errors) == ["research_plan_confirmed", "background_materials"]
    do(ctx, case, "prepare_research")
    assert open_elements(ctx, case) == ["research_on_site"]
    log = [{"log_date": "2026-10-13", "work_process": "销售部访谈", "content": "订单流程", "open_points": "退货待确认"},
           {"log_date": "2026-10-14", "work_process": "客服部访谈", "content": "投诉处理", "open_points": ""}]
    do(ctx, case, "research_on_site", {"research_log": log, "research_days": 2})
    assert data(ctx, case)["research_log"] == log
    assert open_elements(ctx, case) == ["research_follow_up"]
    do(ctx, case, "research_follow_up")
    assert open_elements(ctx, case) == ["business_analysis_meeting"]
    assert "research" not in data(ctx, case)["milestones"]  # reached with the meeting, on the research report
    do(ctx, case, "business_analysis_meeting")
    found = data(ctx, case)
    assert found["milestones"]["research"]["evidence"] == found["doc_research_report"]
    assert open_elements(ctx, case) == ["analyse_requirements"]


def test_each_research_day_is_logged_with_its_work_and_content_and_acknowledged(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "research_on_site")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "research_on_site", {"research_log": [{"log_date": "2026-10-13", "work_process": "",
                                                             "content": "订单流程"}],
                                           "customer_acknowledged": False, "research_days": None})
    assert sorted(refused.value.errors) == ["customer_acknowledged", "research_days", "research_log[0].work_process"]


def test_the_research_report_is_required_in_the_follow_up(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "research_follow_up")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "research_follow_up", {"doc_research_report": None})
    assert list(refused.value.errors) == ["doc_research_report"]


def test_requirements_are_told_apart_in_three_kinds_and_declined_ones_say_why(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "analyse_requirements")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "analyse_requirements", {"requirements": [
            {"requirement": "接入微信", "requirement_kind": "wish", "disposition": "decline", "handling": ""}]})
    assert sorted(refused.value.errors) == ["requirements[0].handling", "requirements[0].requirement_kind"]
    do(ctx, case, "analyse_requirements")
    kinds = {r["requirement_kind"] for r in data(ctx, case)["requirements"]}
    assert kinds == {"planning_gap", "quality_issue", "new_idea"}
    assert open_elements(ctx, case) == ["write_solution"]


def test_the_solution_and_plan_are_written_again_until_the_customer_agrees(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "write_solution")
    with pytest.raises(ValidationFailed) as refused:  # goals, strategy, actions, capability, verification; communicated
        do(ctx, case, "write_solution", {"solution_verification": "", "plan_communicated_with": ""})
    assert list(refused.value.errors) == ["solution_verification", "plan_communicated_with"]
    do(ctx, case, "write_solution")
    assert tasks_of(ctx, "customer1", case) == ["agree_solution"]
    with pytest.raises(ValidationFailed) as no_reason:
        do(ctx, case, "agree_solution", {"solution_agreed": "no"})
    assert list(no_reason.value.errors) == ["customer_opinion"]
    do(ctx, case, "agree_solution", {"solution_agreed": "no", "customer_opinion": "验证标准要量化"})
    assert open_elements(ctx, case) == ["write_solution"]
    again = queries.get_task(ctx, task(ctx, case, "write_solution")["id"], actor="project_manager1")
    assert again["data"]["customer_opinion"] == "验证标准要量化"
    assert "solution" not in data(ctx, case)["milestones"]
    do(ctx, case, "write_solution", {"solution_verification": "订单处理时间缩短30%"})
    do(ctx, case, "agree_solution")
    found = data(ctx, case)
    assert found["milestones"]["solution"]["evidence"] == found["doc_solution"]
    assert open_elements(ctx, case) == ["plan_visit"]


def test_another_companys_contact_cannot_agree_the_solution_for_this_customer(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "agree_solution")
    assert tasks_of(ctx, "customer2", case) == []
    with pytest.raises(Forbidden):
        do(ctx, case, "agree_solution", actor="customer2")
    with pytest.raises(Forbidden):  # the customer's side is the customer's: staff do not sign for it
        do(ctx, case, "agree_solution", actor="project_manager1")
    do(ctx, case, "agree_solution")
    assert open_elements(ctx, case) == ["plan_visit"]
