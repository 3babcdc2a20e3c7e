"""Seed 000's linked processes as the seed writes them: rule 7 (a deviation involves sales and the
technical director, and a confirmed one changes the request), rule 13 (a conflict is escalated to the
right director and its outcome is recorded on the request) and rule 12 (the proposal's completion table)."""

from __future__ import annotations

from typing import Any

import pytest

from service.operations import cases, inbox, queries
from service.operations.errors import Forbidden
from tests.processes.walk import advance_to, do, mails, open_elements, start, task

DOMAIN = "@demo.guicheng.local"


def _tasks_of(ctx: Any, user: str, case: int) -> list[str]:
    return [t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case]


def _events(ctx: Any, case: int, kind: str) -> list[dict[str, Any]]:
    return [e for e in queries.history(ctx, case) if e["type"] == kind]


# --- rule 7: deviations -----------------------------------------------------------------------------

def _report(ctx: Any, request: int, **data: Any) -> int:
    return cases.start_case(ctx, process_id="technical_support_deviation", actor="engineer1", data={
        "parent_case": request, "deviation_kind": "workload", "channel": "phone",
        "description": "客户新增两台服务器", **data})


def _answer(ctx: Any, deviation: int, *, sales: str = "yes", director: str = "yes") -> None:
    cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales1",
                        data={"deviation_confirmed": sales, "outcome": "增加 1 人天，客户同意"})
    cases.complete_task(ctx, task_id=task(ctx, deviation, "director_confirm_deviation")["id"],
                        actor="tech_director2", data={"director_confirmed": director})


def test_rule_7_deviation_goes_to_the_requests_sales_and_the_technical_director(ctx):
    request = start(ctx)
    advance_to(ctx, request, "work")
    deviation = _report(ctx, request)
    assert open_elements(ctx, deviation) == ["confirm_deviation", "director_confirm_deviation"]
    assert _tasks_of(ctx, "sales1", deviation) == ["confirm_deviation"]  # the request's salesperson
    assert _tasks_of(ctx, "sales2", deviation) == []  # not every salesperson
    assert _tasks_of(ctx, "tech_director1", deviation) == ["director_confirm_deviation"]
    with pytest.raises(Forbidden):
        cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales2",
                            data={"deviation_confirmed": "yes", "outcome": "x"})


def test_rule_7_confirmed_deviation_changes_the_request_in_its_history(ctx):
    request = start(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _report(ctx, request, new_estimated_person_days=3.5, new_products="CITRIX 7 + NetScaler",
                        new_scope="增加两台服务器的安装")
    _answer(ctx, deviation)
    data = queries.show_case(ctx, request)["data"]
    assert (data["estimated_person_days"], data["products"], data["scope"]) == (
        3.5, "CITRIX 7 + NetScaler", "增加两台服务器的安装")
    (event,) = _events(ctx, request, "changed_by_linked_case")
    assert event["payload"]["linked_case"] == deviation
    changes = {c["variable"]: (c["old"], c["new"]) for c in event["payload"]["changes"]}
    assert changes == {"estimated_person_days": (2, 3.5), "products": (None, "CITRIX 7 + NetScaler"),
                       "scope": (None, "增加两台服务器的安装")}
    assert open_elements(ctx, request) == ["work"]  # the request goes on where it was
    # the reply-all outcome mail stays: in the request's thread, to the request's people
    (outcome,) = mails(ctx, deviation)
    application = mails(ctx, request)[0]
    assert outcome["subject"] == "回复: " + application["subject"]
    assert {"sales1" + DOMAIN, "engineer1" + DOMAIN, "tech_director1" + DOMAIN} <= set(outcome["to"])


def test_rule_7_the_changed_estimate_is_what_the_request_accounts_later(ctx):
    request = start(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    _answer(ctx, _report(ctx, request, new_estimated_person_days=4))
    do(ctx, request, "work")
    assert queries.show_case(ctx, request)["data"]["estimated_person_days"] == 4


@pytest.mark.parametrize("sales, director", [("no", "yes"), ("yes", "no")])
def test_rule_7_a_deviation_either_side_rejects_changes_nothing(ctx, sales, director):
    request = start(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _report(ctx, request, new_estimated_person_days=5)
    _answer(ctx, deviation, sales=sales, director=director)
    assert queries.show_case(ctx, deviation)["status"] == "completed"
    assert queries.show_case(ctx, request)["data"]["estimated_person_days"] == 2
    assert _events(ctx, request, "changed_by_linked_case") == []
    assert mails(ctx, deviation) == []


def test_rule_7_a_confirmed_deviation_with_nothing_to_change_leaves_the_request_as_it_was(ctx):
    request = start(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _report(ctx, request, deviation_kind="company_interest", description="客户要求免费增加培训")
    _answer(ctx, deviation)
    assert _events(ctx, request, "changed_by_linked_case") == []
    (unchanged,) = _events(ctx, deviation, "parent_case_unchanged")
    assert unchanged["payload"]["reason"] == "no_change"
    assert len(mails(ctx, deviation)) == 1  # the outcome is still told to everyone


def test_rule_7_request_finished_meanwhile_is_left_alone_and_the_deviation_says_so(ctx):
    request = start(ctx, estimated_person_days=2)
    advance_to(ctx, request, "work")
    deviation = _report(ctx, request, new_estimated_person_days=5)
    cases.complete_task(ctx, task_id=task(ctx, deviation, "confirm_deviation")["id"], actor="sales1",
                        data={"deviation_confirmed": "yes", "outcome": "同意"})
    _finish(ctx, request)
    cases.complete_task(ctx, task_id=task(ctx, deviation, "director_confirm_deviation")["id"],
                        actor="tech_director1", data={"director_confirmed": "yes"})
    assert queries.show_case(ctx, deviation)["status"] == "completed"  # the deviation is not failed
    (refused,) = _events(ctx, deviation, "parent_case_unchanged")
    assert refused["payload"]["parent_case"] == request
    assert refused["payload"]["reason"] == "parent_not_running"
    assert _events(ctx, request, "changed_by_linked_case") == []


def _finish(ctx: Any, request: int) -> None:
    advance_to(ctx, request, "weekly_report")
    do(ctx, request, "weekly_report")
    assert queries.show_case(ctx, request)["status"] == "completed"


# --- rule 13: conflicts -----------------------------------------------------------------------------

def _raise(ctx: Any, request: int, actor: str, role: str) -> int:
    return cases.start_case(ctx, process_id="technical_support_conflict", actor=actor, data={
        "parent_case": request, "raised_by_role": role, "description": "对工作范围有分歧"})


def _resolve(ctx: Any, conflict: int, element: str, actor: str, resolution: str = "按合同范围执行") -> None:
    cases.complete_task(ctx, task_id=task(ctx, conflict, element)["id"], actor=actor,
                        data={"resolution": resolution, "resolved": "yes"})


def test_rule_13_conflict_raised_by_engineering_goes_to_the_technical_director(ctx):
    request = start(ctx)
    conflict = _raise(ctx, request, "engineer1", "engineer")
    assert open_elements(ctx, conflict) == ["resolve_by_tech_director"]
    for director in ("tech_director1", "tech_director2"):
        assert _tasks_of(ctx, director, conflict) == ["resolve_by_tech_director"]
    assert _tasks_of(ctx, "sales_director1", conflict) == []


def test_rule_13_the_requests_salesperson_reads_a_conflict_the_engineer_raised(ctx):
    """The conflict is about their request: sales1 opens it; sales3 of the other group may not."""
    request = start(ctx)
    conflict = _raise(ctx, request, "engineer1", "engineer")
    assert queries.show_case(ctx, conflict, actor="sales1")["id"] == conflict
    with pytest.raises(Forbidden):
        queries.show_case(ctx, conflict, actor="sales3")


def test_rule_13_conflict_raised_by_sales_goes_to_the_starters_regional_sales_director(ctx):
    request = start(ctx)
    conflict = _raise(ctx, request, "sales1", "sales")
    assert _tasks_of(ctx, "sales_director1", conflict) == ["resolve_by_sales_director"]  # 华东区, sales1's line
    assert _tasks_of(ctx, "sales_director2", conflict) == []  # the company's director is not asked
    with pytest.raises(Forbidden):
        _resolve(ctx, conflict, "resolve_by_sales_director", "sales_director2")
    _resolve(ctx, conflict, "resolve_by_sales_director", "sales_director1")
    assert queries.show_case(ctx, conflict)["status"] == "completed"


@pytest.mark.parametrize("actor, role, element, resolver", [
    ("engineer1", "engineer", "resolve_by_tech_director", "tech_director1"),
    ("sales1", "sales", "resolve_by_sales_director", "sales_director1"),
])
def test_rule_13_outcome_is_recorded_on_the_request_and_mailed_to_the_parties(ctx, actor, role, element, resolver):
    request = start(ctx)
    conflict = _raise(ctx, request, actor, role)
    _resolve(ctx, conflict, element, resolver)
    (outcome,) = queries.show_case(ctx, request)["data"]["conflict_outcomes"]
    assert (outcome["case"], outcome["raised_by_role"], outcome["started_by"]) == (conflict, role, actor)
    assert (outcome["resolution"], outcome["resolved"]) == ("按合同范围执行", "yes")
    (event,) = _events(ctx, request, "changed_by_linked_case")
    assert event["payload"]["linked_case"] == conflict
    assert event["payload"]["changes"][0]["variable"] == "conflict_outcomes"
    (mail,) = mails(ctx, conflict)
    parties = {actor, "sales1", "tech_director1", "tech_director2"} | ({resolver} if role == "sales" else set())
    assert sorted(mail["to"]) == sorted(p + DOMAIN for p in parties)
    for party in parties:  # each reads the outcome in the mail
        (received,) = [m for m in inbox.mailbox(ctx, party)["rows"] if m["subject"] == mail["subject"]]
        assert "按合同范围执行" in received["body"] and "已解决" in received["body"]
    for party in {actor, resolver, "tech_director2"}:  # and the people of the conflict may open it
        assert queries.show_case(ctx, conflict, actor=party)["id"] == conflict


def test_rule_13_each_conflict_adds_its_own_outcome(ctx):
    request = start(ctx)
    first, second = _raise(ctx, request, "engineer1", "engineer"), _raise(ctx, request, "sales1", "sales")
    _resolve(ctx, first, "resolve_by_tech_director", "tech_director2", "工程师按计划执行")
    _resolve(ctx, second, "resolve_by_sales_director", "sales_director1", "销售与客户重新确认范围")
    outcomes = queries.show_case(ctx, request)["data"]["conflict_outcomes"]
    assert [(o["case"], o["resolution"]) for o in outcomes] == [
        (first, "工程师按计划执行"), (second, "销售与客户重新确认范围")]
    changes = [e["payload"]["changes"][0] for e in _events(ctx, request, "changed_by_linked_case")]
    assert len(changes[0]["new"]) == 1 and changes[1]["old"] == changes[0]["new"]  # old → new, in order
