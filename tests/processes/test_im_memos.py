"""On-site rounds: each visit is planned, written up in a memo (work done, results, next steps, delays on either
side) that the customer confirms and signs; what a memo agreed appears in the next plan."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.im_walk import PM, advance_to, data, do, open_elements, start, task

AGREED = [{"item": "顾客提供历史订单数据", "party": "customer", "due": "10-23"},
          {"item": "我方配置退货流程", "party": "ours", "due": "10-26"}]


def _task_data(ctx, case, element, actor=PM):  # type: ignore[no-untyped-def]
    return queries.get_task(ctx, task(ctx, case, element)["id"], actor=actor)["data"]


def _first_visit_written(ctx, **memo):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "write_memo")
    do(ctx, case, "write_memo", {"agreed_items": AGREED, "more_site_work": "yes", **memo})
    return case


def test_the_first_plan_has_nothing_carried_and_needs_no_arrangement(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "plan_visit")
    assert _task_data(ctx, case, "plan_visit")["carried_items"] == []
    with pytest.raises(ValidationFailed) as refused:  # a plan states its goals and is communicated
        do(ctx, case, "plan_visit", {"visit_goals": "", "communicated_with": ""})
    assert list(refused.value.errors) == ["visit_goals", "communicated_with"]
    do(ctx, case, "plan_visit")
    plan = data(ctx, case)["visit_plan"]
    assert [i["item"] for i in plan["items"]] == ["配置订单流程", "导入客户档案"]
    assert {i["source"] for i in plan["items"]} == {"plan"}


def test_a_memo_records_the_work_its_results_the_next_steps_and_delays_on_either_side(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "write_memo")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "write_memo", {"work_done": "", "results": "", "doc_memo": None,
                                     "agreed_items": [{"item": "数据", "party": ""}]})
    assert list(refused.value.errors) == ["work_done", "results", "agreed_items[0].party", "doc_memo"]
    do(ctx, case, "write_memo", {"agreed_items": AGREED, "delay_customer": "顾客数据晚交三天",
                                 "delay_ours": "我方顾问请假一天"})
    shown = _task_data(ctx, case, "confirm_memo", actor="customer1")
    assert (shown["agreed_items"], shown["delay_customer"]) == (AGREED, "顾客数据晚交三天")
    with pytest.raises(ValidationFailed) as unsigned:
        do(ctx, case, "confirm_memo", {"memo_confirmed": False, "doc_signed_memo": None})
    assert list(unsigned.value.errors) == ["memo_confirmed", "doc_signed_memo"]
    with pytest.raises(Forbidden):
        do(ctx, case, "confirm_memo", actor="customer2")
    do(ctx, case, "confirm_memo")
    (memo,) = data(ctx, case)["memos"]
    assert (memo["memo_no"], memo["agreed_items"], memo["delay_ours"]) == (1, AGREED, "我方顾问请假一天")
    assert memo["doc_signed_memo"].startswith("upload:") and memo["doc_memo"].startswith("upload:")


def test_the_items_a_memo_agreed_appear_in_the_next_plan(ctx):  # type: ignore[no-untyped-def]
    case = _first_visit_written(ctx)
    do(ctx, case, "confirm_memo")
    assert open_elements(ctx, case) == ["plan_visit"]
    carried = _task_data(ctx, case, "plan_visit")["carried_items"]
    assert carried == [{**item, "memo_no": 1} for item in AGREED]
    with pytest.raises(ValidationFailed) as refused:  # the plan must say how it arranges them
        do(ctx, case, "plan_visit")
    assert list(refused.value.errors) == ["carried_arrangement"]
    with pytest.raises(ValidationFailed) as changed:  # and cannot drop or rewrite them
        do(ctx, case, "plan_visit", {"carried_arrangement": "照办", "carried_items": AGREED[:1]})
    assert list(changed.value.errors) == ["carried_items"]
    do(ctx, case, "plan_visit", {"carried_arrangement": "10-23 收数据后导入；退货流程 10-26 配好",
                                 "visit_actions": "导入历史订单"})
    plan = data(ctx, case)["visit_plan"]
    assert [(i["item"], i["source"]) for i in plan["items"]] == [
        ("顾客提供历史订单数据", "memo"), ("我方配置退货流程", "memo"), ("导入历史订单", "plan")]
    assert plan["items"][0]["memo_no"] == 1 and plan["carried_arrangement"].startswith("10-23")


def test_each_plan_carries_only_its_last_memo(ctx):  # type: ignore[no-untyped-def]
    case = _first_visit_written(ctx)
    do(ctx, case, "confirm_memo")
    do(ctx, case, "plan_visit", {"carried_arrangement": "照约定安排"})
    do(ctx, case, "write_memo", {"agreed_items": [{"item": "顾客组织关键用户", "party": "customer", "due": "11-02"}],
                                 "more_site_work": "yes"})
    do(ctx, case, "confirm_memo")
    assert [i["item"] for i in _task_data(ctx, case, "plan_visit")["carried_items"]] == ["顾客组织关键用户"]
    do(ctx, case, "plan_visit", {"carried_arrangement": "11-02 前确定"})
    do(ctx, case, "write_memo", {"agreed_items": [], "more_site_work": "no"})
    do(ctx, case, "confirm_memo")
    assert [m["memo_no"] for m in data(ctx, case)["memos"]] == [1, 2, 3]
    assert open_elements(ctx, case) == ["plan_training"]
    assert _task_data(ctx, case, "plan_training")["carried_items"] == []  # memo 3 agreed nothing


def test_the_last_memos_items_go_into_the_training_plan(ctx):  # type: ignore[no-untyped-def]
    case = _first_visit_written(ctx, more_site_work="no")
    do(ctx, case, "confirm_memo")
    assert open_elements(ctx, case) == ["plan_training"]
    assert [i["item"] for i in _task_data(ctx, case, "plan_training")["carried_items"]] == [i["item"] for i in AGREED]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "plan_training", {"carried_arrangement": ""})
    assert list(refused.value.errors) == ["carried_arrangement"]
