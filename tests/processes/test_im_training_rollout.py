"""User training (key users first; a complete plan with its exam; results and feedback fed back) and the rollout
gate: the rollout opens only when all four preconditions hold (decision table implementation_rollout)."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.im_walk import PM, advance_to, data, do, mails, open_elements, start, task

DOMAIN = "@demo.guicheng.local"
PLAN_FIELDS = ("key_users", "training_goals", "training_schedule", "training_content", "trainers", "training_place",
               "sign_in_method", "exam_method")


def _at(ctx, element):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, element)
    return case


def test_a_training_plan_without_an_exam_method_is_refused(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "plan_training")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "plan_training", {"exam_method": ""})
    assert list(refused.value.errors) == ["exam_method"]
    assert open_elements(ctx, case) == ["plan_training"]


def test_a_training_plan_names_key_users_goals_schedule_content_trainers_place_sign_in_and_exam(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "plan_training")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "plan_training", {**{k: "" for k in PLAN_FIELDS}, "plan_confirmed_by_customer": False})
    assert list(refused.value.errors) == [*PLAN_FIELDS, "plan_confirmed_by_customer"]
    do(ctx, case, "plan_training")
    assert open_elements(ctx, case) == ["hold_training"]


def test_exam_results_and_trainee_feedback_are_fed_back_before_training_counts(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "hold_training")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "hold_training", {"doc_exam_results": None, "doc_trainee_feedback": None,
                                        "results_fed_back": False})
    assert list(refused.value.errors) == ["doc_exam_results", "doc_trainee_feedback", "results_fed_back"]
    do(ctx, case, "hold_training")
    found = data(ctx, case)
    assert found["milestones"]["training"]["evidence"] == found["doc_exam_results"]
    assert found["exam_results"] == [{"trainee": "张三", "score": 92, "passed": True}]
    assert open_elements(ctx, case) == ["signoff_functions"]


def test_with_all_four_preconditions_the_rollout_opens(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "signoff_functions")
    do(ctx, case, "signoff_functions")
    do(ctx, case, "check_rollout_readiness")
    found = data(ctx, case)
    assert (found["rollout_ready"], found["rollout_gap"]) == (True, "四项推广条件均已具备")
    assert open_elements(ctx, case) == ["rollout"]
    do(ctx, case, "rollout")
    assert "rollout" in data(ctx, case)["milestones"]


def test_without_the_customers_sign_off_the_rollout_waits_for_the_gap_to_be_closed(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "signoff_functions")
    with pytest.raises(ValidationFailed) as unsigned:  # a sign-off is written
        do(ctx, case, "signoff_functions", {"doc_function_signoff": None})
    assert list(unsigned.value.errors) == ["doc_function_signoff"]
    for outsider in (PM, "customer2"):  # the customer's own project team signs it off
        with pytest.raises(Forbidden):
            do(ctx, case, "signoff_functions", actor=outsider)
    do(ctx, case, "signoff_functions", {"functions_signed_off": "no", "doc_function_signoff": None,
                                        "signoff_remarks": "退货流程未验证"})
    do(ctx, case, "check_rollout_readiness")
    assert open_elements(ctx, case) == ["fix_rollout_gaps"]
    found = data(ctx, case)
    assert (found["rollout_ready"], found["rollout_gap"]) == (False, "功能验证未得到顾客项目组的书面认可")
    blocked = mails(ctx, case)[-1]
    assert "推广条件未具备" in blocked["subject"] and blocked["to"] == [PM + DOMAIN]
    assert sorted(blocked["cc"]) == sorted(["tech_director1" + DOMAIN, "tech_director2" + DOMAIN])
    shown = queries.get_task(ctx, task(ctx, case, "fix_rollout_gaps")["id"], actor=PM)["data"]
    assert shown["rollout_gap"] == "功能验证未得到顾客项目组的书面认可"
    do(ctx, case, "fix_rollout_gaps")
    assert open_elements(ctx, case) == ["signoff_functions"]  # checked again
    do(ctx, case, "signoff_functions")
    do(ctx, case, "check_rollout_readiness")
    assert open_elements(ctx, case) == ["rollout"]


@pytest.mark.parametrize("answers, gap", [
    ({"manuals_ready": "no", "doc_operation_manuals": None}, "业务操作手册"),
    ({"stability_ok": "no"}, "稳定性"),
    ({"resources_committed": "no", "customer_rollout_team": ""}, "推广的资源"),
])
def test_without_manuals_stability_or_resources_the_rollout_does_not_open(ctx, answers, gap):  # type: ignore[no-untyped-def]
    case = _at(ctx, "signoff_functions")
    do(ctx, case, "signoff_functions")
    do(ctx, case, "check_rollout_readiness", answers)
    assert open_elements(ctx, case) == ["fix_rollout_gaps"]
    assert gap in data(ctx, case)["rollout_gap"]
    assert "rollout" not in data(ctx, case)["milestones"]


def test_manuals_said_ready_must_be_there(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "check_rollout_readiness")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "check_rollout_readiness", {"doc_operation_manuals": None, "customer_rollout_team": ""})
    assert list(refused.value.errors) == ["doc_operation_manuals", "customer_rollout_team"]
