"""Customer exchanges, any number, each with its goal and outcome; after each, the internal report within
24 hours (reminded 4 h before, escalated to the engineer's superior at 24 h) and the report to sales, who
confirms the hours unless the decision table waives it."""

from __future__ import annotations

from typing import Any

import pytest

from service.operations import organisation
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
    tasks_of,
)

SALES1 = ["sales1@demo.guicheng.local"]
ENGINEER1 = ["engineer1@demo.guicheng.local"]
SUPERIOR = ["tech_director1@demo.guicheng.local"]  # engineer1's superior (上级)
SPECULATIVE: dict[str, dict[str, Any]] = {"sales_background": {"win_probability": 20},
               "action_strategy": {"withheld_technology": "核心算法不写入方案"}}
LIKELY = {"check_claims": {"assessed_win_probability": 90}}


def _one_exchange(ctx, case, goal: str, outcome: str, more: str) -> None:  # type: ignore[no-untyped-def]
    do(ctx, case, "plan_exchange", {"exchange_goal": goal})
    do(ctx, case, "hold_exchange", {"exchange_outcome": outcome, "more_exchanges": more})
    do(ctx, case, "internal_report")
    do(ctx, case, "confirm_hours")


def test_three_exchanges_each_with_its_goal_and_outcome(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "plan_exchange")
    assert data(ctx, case)["exchange_round_no"] == 1
    _one_exchange(ctx, case, "认识决策人", "决策人认可我们的行业经验", "yes")
    assert open_elements(ctx, case) == ["plan_exchange"]
    found = data(ctx, case)
    assert (found["exchange_round_no"], found["exchange_goal"], found["exchange_outcome"]) == (2, None, None)
    _one_exchange(ctx, case, "演示会员中心", "技术骨干要求数据迁移方案", "yes")
    _one_exchange(ctx, case, "答复数据迁移", "客户邀请我们投标", "no")
    found = data(ctx, case)
    assert [(e["round"], e["goal"], e["outcome"]) for e in found["engagements"]] == [
        (1, "认识决策人", "决策人认可我们的行业经验"), (2, "演示会员中心", "技术骨干要求数据迁移方案"),
        (3, "答复数据迁移", "客户邀请我们投标")]
    assert all(e["kind"] == "exchange" and e["hours_confirmation"] == "confirmed" for e in found["engagements"])
    assert (found["exchange_count"], found["status"]) == (3, "research")
    assert open_elements(ctx, case) == ["research_checklist"]


def test_an_exchange_needs_its_goal_and_its_outcome(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "plan_exchange")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "plan_exchange", {"exchange_goal": ""})
    assert list(refused.value.errors) == ["exchange_goal"]
    do(ctx, case, "plan_exchange")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "hold_exchange", {"exchange_outcome": " "})
    assert list(refused.value.errors) == ["exchange_outcome"]


def test_the_report_is_due_24_hours_after_the_exchange_and_says_plan_goals_summary_and_open_questions(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "hold_exchange")
    clock.set(at("2026-10-08T15:30"))  # after the holiday: the 24 hours count from now, nights included
    do(ctx, case, "hold_exchange")
    found = data(ctx, case)
    assert (found["report_due"], found["report_remind_at"]) == ("2026-10-09T15:30:00+08:00",
                                                                 "2026-10-09T11:30:00+08:00")
    assert open_elements(ctx, case) == ["internal_report"]
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "internal_report", {"report_plan": "", "report_goals": "", "report_summary": "",
                                          "open_questions": ""})
    assert list(refused.value.errors) == ["report_plan", "report_goals", "report_summary", "open_questions"]


def test_report_overdue_at_24_hours_mails_the_engineers_superior(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "internal_report")  # the exchange was recorded at 2026-09-30 11:00
    assert run_worker_at(ctx, clock, "2026-10-01T06:59").timers_fired == 0
    assert run_worker_at(ctx, clock, "2026-10-01T07:00:01").timers_fired == 1
    (reminder,) = [m for m in mails(ctx, case) if m["subject"].startswith("【提醒】")]
    assert (reminder["to"], reminder["cc"]) == (ENGINEER1, [])
    assert "2026-10-01 11:00" in mail_body(ctx, case, reminder["subject"])
    assert run_worker_at(ctx, clock, "2026-10-01T10:59").timers_fired == 0
    assert run_worker_at(ctx, clock, "2026-10-01T11:00:01").timers_fired == 1
    (late,) = [m for m in mails(ctx, case) if m["subject"].startswith("【超时】")]
    assert (late["to"], late["cc"]) == (SUPERIOR, [])
    assert late["subject"] == "【超时】售前报告未在24小时内提交--欧莱雅--总部信息化平台"
    assert "engineer1" in mail_body(ctx, case, late["subject"])
    assert open_elements(ctx, case) == ["internal_report"]  # the report is still owed
    do(ctx, case, "internal_report")
    assert open_elements(ctx, case) == ["confirm_hours"]


def test_a_report_in_time_is_neither_reminded_nor_escalated(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "internal_report")
    do(ctx, case, "internal_report")
    assert run_worker_at(ctx, clock, "2026-10-02T12:00").timers_fired == 0
    assert [m for m in mails(ctx, case) if m["subject"].startswith(("【提醒】", "【超时】"))] == []


def test_the_report_to_sales_asks_them_to_confirm_the_hours(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "internal_report")
    do(ctx, case, "internal_report")
    report = mails(ctx, case)[-1]
    assert (report["to"], report["cc"]) == (SALES1, ENGINEER1)
    assert report["subject"] == "【售前报告】第1次客户交流--欧莱雅--总部信息化平台"
    body = mail_body(ctx, case, report["subject"])
    assert "工时 6 小时" in body and "请在案例中确认工时" in body and "数据迁移方案待答复" in body
    assert tasks_of(ctx, "sales1", case) == ["confirm_hours"]
    for outsider in ("engineer1", "sales2"):
        with pytest.raises(Forbidden):
            do(ctx, case, "confirm_hours", actor=outsider)


def test_a_speculative_project_always_has_its_hours_confirmed(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "internal_report", {**SPECULATIVE, "check_claims": {"assessed_win_probability": 95}})
    found = data(ctx, case)
    assert (found["speculative"], found["hours_confirmation_required"]) == (True, True)
    do(ctx, case, "internal_report")
    assert open_elements(ctx, case) == ["confirm_hours"]
    do(ctx, case, "confirm_hours")
    assert data(ctx, case)["engagements"][0]["hours_confirmation"] == "confirmed"


def test_a_likely_win_skips_the_hours_confirmation(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "internal_report", LIKELY)
    do(ctx, case, "internal_report")
    assert "confirm_hours" not in open_elements(ctx, case)
    assert open_elements(ctx, case) == ["research_checklist"]
    report = mails(ctx, case)[-1]
    assert "免确认" in mail_body(ctx, case, report["subject"])
    assert data(ctx, case)["engagements"][0]["hours_confirmation"] == "waived"


def test_disputed_hours_go_to_the_technical_director_with_the_hours_sales_accepts(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "confirm_hours")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "confirm_hours", {"hours_confirmed": "no"})
    assert sorted(refused.value.errors) == ["confirmed_hours", "hours_note"]
    do(ctx, case, "confirm_hours", {"hours_confirmed": "no", "confirmed_hours": 4, "hours_note": "只交流了半天"})
    disputed = mails(ctx, case)[-1]
    assert disputed["subject"].startswith("【工时异议】")
    assert (disputed["to"], sorted(disputed["cc"])) == (SUPERIOR, ENGINEER1 + SALES1)
    assert "销售认可 4 小时" in mail_body(ctx, case, disputed["subject"])
    (engagement,) = data(ctx, case)["engagements"]
    assert (engagement["hours_spent"], engagement["hours_confirmation"], engagement["confirmed_hours"]) == (
        6, "disputed", 4)


def test_a_late_report_of_an_engineer_without_a_superior_goes_to_the_technical_directors(ctx, clock):  # type: ignore[no-untyped-def]
    organisation.place_user(ctx, username="engineer4", department_id=None, superior=None, mobile=None,
                            actor="admin1")
    case = start(ctx)
    advance_to(ctx, case, "internal_report", {"assign_engineer": {"engineer": "engineer4"}}, engineer="engineer4")
    run_worker_at(ctx, clock, "2026-10-01T11:00:01")
    (late,) = [m for m in mails(ctx, case) if m["subject"].startswith("【超时】")]
    assert sorted(late["to"]) == ["tech_director1@demo.guicheng.local", "tech_director2@demo.guicheng.local"]


def test_each_exchange_has_its_own_24_hours(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "plan_exchange")
    _one_exchange(ctx, case, "认识决策人", "决策人认可", "yes")  # the first report in time
    clock.set(at("2026-10-09T09:00"))
    do(ctx, case, "plan_exchange")
    do(ctx, case, "hold_exchange")
    assert data(ctx, case)["report_due"] == "2026-10-10T09:00:00+08:00"
    run_worker_at(ctx, clock, "2026-10-10T09:00:01")  # the reminder (05:00) and the escalation are both due
    assert [m["to"] for m in mails(ctx, case) if m["subject"].startswith("【提醒】")] == [ENGINEER1]
    late = [m for m in mails(ctx, case) if m["subject"].startswith("【超时】")]
    assert [m["to"] for m in late] == [SUPERIOR]
    assert "第2次客户交流" in mail_body(ctx, case, late[0]["subject"])
