"""The request, the engineer the technical director assigns, the background sales gives, the check of sales'
claims, and the two decision tables it feeds: the effort (presales_effort) and the hours rule (presales_hours)."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.ps_walk import advance_to, data, do, mail_body, mails, open_elements, start, task, tasks_of

TECH_DIRECTORS = ["tech_director1@demo.guicheng.local", "tech_director2@demo.guicheng.local"]
SALES1 = ["sales1@demo.guicheng.local"]
ENGINEER1 = ["engineer1@demo.guicheng.local"]


def test_a_request_goes_to_the_technical_directors_who_alone_assign_the_engineer(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    shown = queries.show_case(ctx, case)
    assert (shown["data"]["status"], shown["business_key"]) == ("requested", "欧莱雅 / 总部信息化平台")
    (asked,) = mails(ctx, case)
    assert (sorted(asked["to"]), asked["cc"]) == (TECH_DIRECTORS, SALES1)
    assert asked["subject"] == "【售前支持申请】欧莱雅--总部信息化平台--sales1"
    assert open_elements(ctx, case) == ["assign_engineer"]
    assert tasks_of(ctx, "tech_director2", case) == ["assign_engineer"]
    with pytest.raises(Forbidden):
        do(ctx, case, "assign_engineer", actor="sales1")
    with pytest.raises(ValidationFailed) as refused:  # only someone with the engineer role
        do(ctx, case, "assign_engineer", {"engineer": "sales2"})
    assert list(refused.value.errors) == ["engineer"]
    do(ctx, case, "assign_engineer")
    found = data(ctx, case)
    assert (found["engineer"], found["status"]) == ("engineer1", "assessment")
    told = mails(ctx, case)[-1]
    assert (told["to"], told["cc"]) == (ENGINEER1, SALES1)
    assert "售前工程师：engineer1" in mail_body(ctx, case, told["subject"])


def test_sales_gives_the_background_on_their_own_task(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "sales_background")
    assert tasks_of(ctx, "sales1", case) == ["sales_background"]
    assert tasks_of(ctx, "sales2", case) == []
    with pytest.raises(Forbidden):  # sales2 is in sales1's group, but it is sales1's pursuit
        do(ctx, case, "sales_background", actor="sales2")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "sales_background", {"win_probability": 120})
    assert list(refused.value.errors) == ["win_probability"]
    do(ctx, case, "sales_background")
    assert data(ctx, case)["customer_contacts"][0]["contact_name"] == "李总"


def test_only_the_assigned_engineer_checks_sales_claims(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "check_claims")
    assert tasks_of(ctx, "engineer1", case) == ["check_claims"]
    assert tasks_of(ctx, "engineer2", case) == []
    with pytest.raises(Forbidden):
        queries.get_task(ctx, task(ctx, case, "check_claims")["id"], actor="engineer2")
    with pytest.raises(Forbidden):
        do(ctx, case, "check_claims", actor="engineer2")
    with pytest.raises(ValidationFailed) as refused:  # the calls and the visit say what they showed
        do(ctx, case, "check_claims", {"call_notes": "", "visit_notes": ""})
    assert sorted(refused.value.errors) == ["call_notes", "visit_notes"]
    do(ctx, case, "check_claims", {"contacts_called": "no", "joint_visit": "not_needed", "call_notes": "",
                                   "visit_notes": ""})
    assert open_elements(ctx, case) == ["technical_strategy"]


# sales' estimate, assessed, decision maker among the contacts, the customer's attitude, sales' track record
#   → effort, hold technology back, proposal at once or in rounds, speculative
EFFORT_ROWS = [
    ((70, 75, "yes", "warm", "strong"), ("full", False, "once", False)),
    ((70, 75, "yes", "warm", "average"), ("full", False, "once", False)),
    ((90, 85, "yes", "warm", "weak"), ("standard", False, "rounds", False)),  # weak track record: not all in
    ((60, 55, "yes", "neutral", "unknown"), ("standard", False, "rounds", False)),
    ((90, 85, "no", "warm", "strong"), ("limited", True, "rounds", False)),  # a big talker: no decision maker
    ((60, 40, "yes", "neutral", "average"), ("limited", True, "rounds", False)),
    ((20, 80, "yes", "warm", "strong"), ("minimal", True, "rounds", True)),  # sales themselves have no faith
    ((70, 25, "yes", "warm", "strong"), ("minimal", True, "rounds", True)),
    ((70, 60, "yes", "cold", "strong"), ("minimal", True, "rounds", True)),  # the customer is cold to us
]


@pytest.mark.parametrize(("facts", "expected"), EFFORT_ROWS)
def test_the_effort_follows_the_checked_claims(ctx, facts, expected):  # type: ignore[no-untyped-def]
    sales, assessed, reached, warmth, record = facts
    case = start(ctx)
    advance_to(ctx, case, "check_claims", {"sales_background": {"win_probability": sales}})
    do(ctx, case, "check_claims", {"assessed_win_probability": assessed, "decision_maker_reached": reached,
                                   "customer_warmth": warmth, "sales_track_record": record})
    found = data(ctx, case)
    assert (found["effort_level"], found["hold_back_technology"], found["proposal_delivery"],
            found["speculative"]) == expected
    assert found["effort_rule"].startswith({"full": "全力投入", "standard": "正常投入", "limited": "有限投入",
                                            "minimal": "最低投入"}[expected[0]])
    effort_mail = mails(ctx, case)[-1]
    assert (effort_mail["to"], effort_mail["cc"]) == (SALES1, ENGINEER1)
    assert found["effort_rule"] in mail_body(ctx, case, effort_mail["subject"])
    assert found["status"] == "strategy"


@pytest.mark.parametrize(("sales", "assessed", "required"), [
    (20, 90, True),  # speculative (sales have no faith) forces the confirmation, however likely presales thinks it
    (70, 25, True),  # speculative
    (70, 80, False),  # 80 % and more: the hours show in the service income
    (90, 95, False),
    (70, 79, True),
])
def test_hours_confirmation_is_waived_only_for_likely_wins_and_never_for_speculative_ones(  # type: ignore[no-untyped-def]
        ctx, sales, assessed, required):
    case = start(ctx)
    advance_to(ctx, case, "check_claims", {"sales_background": {"win_probability": sales}})
    do(ctx, case, "check_claims", {"assessed_win_probability": assessed})
    found = data(ctx, case)
    assert found["hours_confirmation_required"] is required
    assert ("八字没一撇" in found["hours_rule"]) is found["speculative"]


def test_a_request_names_customer_project_and_what_the_project_is(ctx):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        start(ctx, customer="", project_summary="")
    assert sorted(refused.value.errors) == ["customer", "project_summary"]
    with pytest.raises(Forbidden):  # sales starts a pursuit
        start(ctx, actor="engineer1")
    shown = queries.show_case(ctx, start(ctx))
    assert shown["data"]["project_summary"] == "总部新建客户信息系统，覆盖全国门店"
