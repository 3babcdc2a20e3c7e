"""Change requests (需求变更), any number of them: consolidated by the customer and agreed inside it, submitted
formally to the project manager, checked against the earlier memos, assessed in writing for cost and schedule,
signed by the customer — a memo they contradict signed again; dissatisfaction that is no change handled apart."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.im_walk import PM, advance_to, data, do, mails, open_elements, start, task, tasks_of

DOMAIN = "@demo.guicheng.local"


def _change_submitted_for(ctx, **memo):  # type: ignore[no-untyped-def]
    """A project at its first memo, the customer confirming it with a change to submit."""
    case = start(ctx)
    advance_to(ctx, case, "confirm_memo", {"write_memo": memo} if memo else None)
    do(ctx, case, "confirm_memo", {"changes_to_submit": "yes"})
    assert open_elements(ctx, case) == ["submit_change"]
    return case


@pytest.mark.parametrize("left_out", ["consolidated", "internal_agreement", "doc_change_request"])
def test_a_change_not_consolidated_and_agreed_by_the_customer_cannot_reach_the_project_manager(ctx, left_out):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "submit_change", {left_out: False if left_out != "doc_change_request" else None})
    assert list(refused.value.errors) == [left_out]
    assert open_elements(ctx, case) == ["submit_change"]
    assert tasks_of(ctx, PM, case) == []
    do(ctx, case, "submit_change")
    assert tasks_of(ctx, PM, case) == ["review_change"]


def test_the_customers_contact_submits_the_change_not_another_company(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    assert tasks_of(ctx, "customer2", case) == []
    with pytest.raises(Forbidden):
        do(ctx, case, "submit_change", actor="customer2")
    with pytest.raises(Forbidden):
        do(ctx, case, "submit_change", actor=PM)


def test_the_project_manager_checks_the_earlier_memos_first(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    do(ctx, case, "submit_change")
    shown = queries.get_task(ctx, task(ctx, case, "review_change")["id"], actor=PM)["data"]
    assert "备忘录 1（顾客已签字）" in shown["memo_digest"] and "顾客提供历史订单数据" in shown["memo_digest"]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "review_change", {"records_checked": False})
    assert list(refused.value.errors) == ["records_checked"]


def test_a_change_without_a_written_impact_assessment_cannot_go_to_signature(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    do(ctx, case, "submit_change")
    do(ctx, case, "review_change")
    assert open_elements(ctx, case) == ["assess_impact"]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "assess_impact", {"cost_impact": None, "schedule_impact_days": None, "impact_summary": "",
                                        "doc_impact_assessment": None})
    assert list(refused.value.errors) == ["cost_impact", "schedule_impact_days", "impact_summary",
                                          "doc_impact_assessment"]
    assert tasks_of(ctx, "customer1", case) == []
    do(ctx, case, "assess_impact")
    assert open_elements(ctx, case) == ["sign_change"]  # no memo contradicted: straight to the signature


def test_a_signed_change_is_logged_with_its_impact_and_mailed(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    for step in ("submit_change", "review_change", "assess_impact"):
        do(ctx, case, step)
    shown = queries.get_task(ctx, task(ctx, case, "sign_change")["id"], actor="customer1")["data"]
    assert (shown["cost_impact"], shown["schedule_impact_days"]) == (20000, 5)
    with pytest.raises(ValidationFailed) as unsigned:
        do(ctx, case, "sign_change", {"doc_signed_change": None})
    assert list(unsigned.value.errors) == ["doc_signed_change"]
    do(ctx, case, "sign_change")
    (change,) = data(ctx, case)["change_log"]
    assert (change["kind"], change["outcome"], change["cost_impact"], change["schedule_impact_days"]) == (
        "change", "signed", 20000, 5)
    assert change["doc_signed_change"].startswith("upload:") and change["contradicts_memo"] is False
    signed = mails(ctx, case)[-1]
    assert "需求变更" in signed["subject"] and signed["to"] == [PM + DOMAIN]
    assert "customer1" + DOMAIN in signed["cc"]
    assert open_elements(ctx, case) == ["plan_training"]  # the memo said no more site work


def test_a_change_contradicting_a_signed_memo_needs_a_new_signature(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    do(ctx, case, "submit_change")
    with pytest.raises(ValidationFailed) as unnamed:  # which memo, and which agreement
        do(ctx, case, "review_change", {"contradicts_memo": "yes"})
    assert list(unnamed.value.errors) == ["contradicted_memo"]
    do(ctx, case, "review_change", {"contradicts_memo": "yes", "contradicted_memo": "备忘录 1：历史订单由顾客提供"})
    do(ctx, case, "assess_impact")
    assert open_elements(ctx, case) == ["resign_memo"]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "resign_memo", {"memo_resigned": False, "doc_resigned_memo": None})
    assert list(refused.value.errors) == ["memo_resigned", "doc_resigned_memo"]
    with pytest.raises(Forbidden):
        do(ctx, case, "resign_memo", actor="customer2")
    do(ctx, case, "resign_memo")
    assert open_elements(ctx, case) == ["sign_change"]
    do(ctx, case, "sign_change")
    (change,) = data(ctx, case)["change_log"]
    assert change["contradicts_memo"] is True and change["contradicted_memo"] == "备忘录 1：历史订单由顾客提供"
    assert change["doc_resigned_memo"].startswith("upload:")


def test_dissatisfaction_that_is_no_change_is_handled_apart_without_a_signature(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    do(ctx, case, "submit_change", {"change_title": "订单界面太挤"})
    do(ctx, case, "review_change", {"change_kind": "dissatisfaction", "contradicts_memo": None})
    assert open_elements(ctx, case) == ["handle_dissatisfaction"]
    do(ctx, case, "handle_dissatisfaction")
    (handled,) = data(ctx, case)["change_log"]
    assert (handled["kind"], handled["outcome"], handled["handling"]) == ("dissatisfaction", "handled", "调整界面布局")
    assert "cost_impact" not in handled
    assert not [m for m in mails(ctx, case) if "需求变更" in m["subject"]]
    assert open_elements(ctx, case) == ["plan_training"]


def test_the_customer_may_withdraw_a_change_once_it_sees_the_impact(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx)
    for step in ("submit_change", "review_change", "assess_impact"):
        do(ctx, case, step)
    do(ctx, case, "sign_change", {"change_signed": "withdraw", "doc_signed_change": None})
    (change,) = data(ctx, case)["change_log"]
    assert (change["outcome"], change["doc_signed_change"]) == ("withdrawn", None)
    assert not [m for m in mails(ctx, case) if "需求变更" in m["subject"]]


def test_changes_repeat_any_number_of_times_within_a_visit_and_across_visits(ctx):  # type: ignore[no-untyped-def]
    case = _change_submitted_for(ctx, more_site_work="yes")
    # visit 1: three changes, one after the other; the second contradicts the memo, the third is dissatisfaction
    do(ctx, case, "submit_change", {"change_title": "变更一", "more_changes": "yes"})
    do(ctx, case, "review_change")
    do(ctx, case, "assess_impact")
    do(ctx, case, "sign_change")
    assert open_elements(ctx, case) == ["submit_change"]
    do(ctx, case, "submit_change", {"change_title": "变更二", "more_changes": "yes"})
    do(ctx, case, "review_change", {"contradicts_memo": "yes", "contradicted_memo": "备忘录 1"})
    do(ctx, case, "assess_impact", {"cost_impact": 5000})
    do(ctx, case, "resign_memo")
    do(ctx, case, "sign_change")
    do(ctx, case, "submit_change", {"change_title": "变更三", "more_changes": "no"})
    do(ctx, case, "review_change", {"change_kind": "dissatisfaction"})
    do(ctx, case, "handle_dissatisfaction")
    assert open_elements(ctx, case) == ["plan_visit"]  # the next visit
    # visit 2: one more change, which contradicts nothing: no re-signed memo is carried over from change two
    do(ctx, case, "plan_visit", {"carried_arrangement": "历史订单数据本周导入"})
    do(ctx, case, "write_memo", {"more_site_work": "no"})
    do(ctx, case, "confirm_memo", {"changes_to_submit": "yes"})
    do(ctx, case, "submit_change", {"change_title": "变更四"})
    do(ctx, case, "review_change")
    do(ctx, case, "assess_impact")
    assert open_elements(ctx, case) == ["sign_change"]
    do(ctx, case, "sign_change")
    log = data(ctx, case)["change_log"]
    assert [(c["change_no"], c["title"], c["kind"], c["outcome"]) for c in log] == [
        (1, "变更一", "change", "signed"), (2, "变更二", "change", "signed"),
        (3, "变更三", "dissatisfaction", "handled"), (4, "变更四", "change", "signed")]
    assert [c.get("contradicts_memo") for c in log] == [False, True, None, False]
    assert log[3]["doc_resigned_memo"] is None and log[1]["doc_resigned_memo"].startswith("upload:")
    assert len([m for m in mails(ctx, case) if "需求变更" in m["subject"]]) == 3
    assert open_elements(ctx, case) == ["plan_training"]
