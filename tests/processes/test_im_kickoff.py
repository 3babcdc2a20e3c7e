"""The kickoff (启动大会): held with a preparation meeting and its two messages, skipped with a reason, or
postponed until the project is under way — as the decision table implementation_kickoff says."""

from __future__ import annotations

import pytest

from service.operations.errors import ValidationFailed
from tests.processes.im_walk import PM, advance_to, data, do, mails, open_elements, start
from tests.processes.walk import mail_body

DOMAIN = "@demo.guicheng.local"
KICKOFF = ("prepare_kickoff", "hold_kickoff", "prepare_late_kickoff", "hold_late_kickoff")


def _facts_recorded(ctx, facts=None, **project):  # type: ignore[no-untyped-def]
    case = start(ctx, **project)
    advance_to(ctx, case, "kickoff_facts")
    do(ctx, case, "kickoff_facts", facts or {})
    return case


def _elements_until(ctx, case, target):  # type: ignore[no-untyped-def]
    """Every element opened on the way to `target`, in order, `target` last."""
    return [*advance_to(ctx, case, target), target]


def test_a_kickoff_is_held_after_its_preparation_meeting_and_invites_both_sides(ctx):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx)
    found = data(ctx, case)
    assert (found["kickoff_decision"], found["kickoff_reason"].startswith("召开启动大会")) == ("hold", True)
    assert open_elements(ctx, case) == ["prepare_kickoff"]
    do(ctx, case, "prepare_kickoff")
    invitation = mails(ctx, case)[-1]
    assert "启动大会" in invitation["subject"]
    assert invitation["to"] == [PM + DOMAIN]
    assert sorted(invitation["cc"]) == sorted(["customer1" + DOMAIN, "sales1" + DOMAIN])
    assert "欧莱雅中国区总裁" in mail_body(ctx, case, invitation["subject"])
    assert open_elements(ctx, case) == ["hold_kickoff"]


@pytest.mark.parametrize("left_out", ["executive_led", "teams_introduced"])
def test_the_kickoff_carries_both_messages_or_it_is_not_recorded(ctx, left_out):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx)
    do(ctx, case, "prepare_kickoff")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "hold_kickoff", {left_out: False})
    assert list(refused.value.errors) == [left_out]
    assert "kickoff" not in data(ctx, case)["milestones"]
    do(ctx, case, "hold_kickoff")
    reached = data(ctx, case)["milestones"]["kickoff"]
    assert reached["evidence"] == data(ctx, case)["doc_kickoff_minutes"]
    assert open_elements(ctx, case) == ["prepare_research"]


@pytest.mark.parametrize("amount, decision", [(30000, "skip"), (49999, "skip"), (50000, "hold")])
def test_a_very_small_contract_skips_the_kickoff_with_its_reason(ctx, amount, decision):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx, amount=amount)
    found = data(ctx, case)
    assert found["kickoff_decision"] == decision
    if decision == "skip":
        assert "合同金额很小" in found["kickoff_reason"]
        assert open_elements(ctx, case) == ["prepare_research"]
    else:
        assert open_elements(ctx, case) == ["prepare_kickoff"]


@pytest.mark.parametrize("fact, said", [("productised", "工具化"), ("customer_experienced", "信息化实施经验"),
                                        ("customer_run_in", "充分磨合")])
def test_productised_projects_and_experienced_or_run_in_customers_skip_it(ctx, fact, said):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx, {fact: True})
    found = data(ctx, case)
    assert found["kickoff_decision"] == "skip" and said in found["kickoff_reason"]
    seen = _elements_until(ctx, case, "analyse_requirements")
    assert not set(KICKOFF) & set(seen)
    assert "kickoff" not in data(ctx, case)["milestones"]


@pytest.mark.parametrize("fact, said", [("politics_unresolved", "内部关系"), ("over_promised", "过度承诺")])
def test_unresolved_politics_or_an_over_promised_contract_postpone_it_until_after_research(ctx, fact, said):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx, {fact: True})
    found = data(ctx, case)
    assert found["kickoff_decision"] == "postpone" and said in found["kickoff_reason"]
    assert open_elements(ctx, case) == ["prepare_research"]  # the project gets under way first
    seen = _elements_until(ctx, case, "prepare_late_kickoff")
    assert seen == ["prepare_research", "research_on_site", "research_follow_up", "business_analysis_meeting",
                    "prepare_late_kickoff"]
    assert "research" in data(ctx, case)["milestones"]
    do(ctx, case, "prepare_late_kickoff")
    assert "启动大会" in mails(ctx, case)[-1]["subject"]
    with pytest.raises(ValidationFailed):  # the postponed kickoff carries the same two messages
        do(ctx, case, "hold_late_kickoff", {"executive_led": False})
    do(ctx, case, "hold_late_kickoff")
    assert "kickoff" in data(ctx, case)["milestones"]
    assert open_elements(ctx, case) == ["analyse_requirements"]


def test_a_small_contract_skips_even_when_politics_are_unresolved(ctx):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx, {"politics_unresolved": True}, amount=20000)
    assert data(ctx, case)["kickoff_decision"] == "skip"


def test_a_held_kickoff_is_not_held_again_after_research(ctx):  # type: ignore[no-untyped-def]
    case = _facts_recorded(ctx)
    seen = _elements_until(ctx, case, "analyse_requirements")
    assert seen == ["prepare_kickoff", "hold_kickoff", "prepare_research", "research_on_site", "research_follow_up",
                    "business_analysis_meeting", "analyse_requirements"]
