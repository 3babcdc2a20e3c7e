"""Rules 1–4: application and its mail, deadlines by the decision table, reminders,
escalation, the emergency path, refusal and unclear requests."""

from __future__ import annotations

import pytest

from service.operations import cases, queries
from service.operations.errors import Conflict, Forbidden, ValidationFailed
from tests.processes.walk import advance_to, at, do, mails, open_elements, run_worker_at, start, task


@pytest.mark.parametrize("received, kind, confirm_due, response_due", [
    ("2026-09-30T11:00", "non_project", "2026-09-30T18:00:00+08:00", "2026-10-08T18:00:00+08:00"),
    ("2026-09-30T11:00", "project", "2026-09-30T18:00:00+08:00", "2026-10-10T18:00:00+08:00"),
    ("2026-09-30T14:00", "non_project", "2026-10-08T18:00:00+08:00", "2026-10-09T18:00:00+08:00"),
    ("2026-09-30T14:00", "project", "2026-10-08T18:00:00+08:00", "2026-10-12T18:00:00+08:00"),
    ("2026-10-03T09:00", "non_project", "2026-10-08T18:00:00+08:00", "2026-10-09T18:00:00+08:00"),  # holiday
    ("2026-02-13T15:00", "project", "2026-02-14T18:00:00+08:00", "2026-02-26T18:00:00+08:00"),  # Spring Festival
])
def test_confirmation_and_response_due_dates_follow_the_table(ctx, clock, received, kind, confirm_due, response_due):
    clock.set(at(received))
    case = start(ctx, support_kind=kind)
    assert task(ctx, case, "confirm_request")["due_at"] == confirm_due
    do(ctx, case, "confirm_request")
    assert task(ctx, case, "engineer_assessment")["due_at"] == response_due


def test_application_mail_goes_to_the_director_with_the_prescribed_copies(ctx):
    case = start(ctx)
    (mail,) = mails(ctx, case)
    assert mail["subject"] == "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
    assert mail["to"] == ["tech_director1@demo.guicheng.local", "tech_director2@demo.guicheng.local"]
    # sales1 is in 销售一组: its own group leader, the regional and the company director, and GXM
    assert sorted(mail["cc"]) == sorted(["management1@demo.guicheng.local", "sales_director1@demo.guicheng.local",
                                         "sales_director2@demo.guicheng.local", "sales_lead1@demo.guicheng.local"])


def test_subject_parts_with_the_separator_are_refused_with_the_reason(ctx):
    with pytest.raises(ValidationFailed) as err:
        start(ctx, project="CITRIX--安装")
    assert "project" in err.value.errors
    assert queries.open_tasks(ctx) == []


def test_refusal_replies_in_the_thread_and_ends(ctx):
    case = start(ctx)
    do(ctx, case, "confirm_request", {"accepted": "no", "engineer": None, "comment": "不属于技术支持范围"})
    assert queries.show_case(ctx, case)["status"] == "completed"
    application, refusal = mails(ctx, case)
    assert refusal["subject"] == "回复: " + application["subject"]
    assert refusal["in_reply_to"] == application["message_id"]


def test_reminder_before_and_escalation_after_the_confirmation_deadline(ctx, clock):
    case = start(ctx)
    assert run_worker_at(ctx, clock, "2026-09-30T15:00").timers_fired == 0
    assert run_worker_at(ctx, clock, "2026-09-30T16:00:01").timers_fired == 1
    assert "待确认" in mails(ctx, case)[-1]["subject"]
    assert run_worker_at(ctx, clock, "2026-09-30T18:00:01").timers_fired == 1
    overdue = mails(ctx, case)[-1]
    assert "已超期" in overdue["subject"] and overdue["cc"] == ["management1@demo.guicheng.local"]
    assert open_elements(ctx, case) == ["confirm_request"]  # still waiting for the director


def test_response_overdue_escalates_to_the_technical_director(ctx, clock):
    case = start(ctx)
    do(ctx, case, "confirm_request")
    run_worker_at(ctx, clock, "2026-10-08T18:00:01")
    overdue = mails(ctx, case)[-1]
    assert "响应已超期" in overdue["subject"]
    assert overdue["to"] == ["tech_director1@demo.guicheng.local", "tech_director2@demo.guicheng.local"]


def test_emergency_work_starts_and_the_missing_application_is_chased_on_working_days(ctx, clock):
    clock.set(at("2026-09-29T10:00"))
    case = start(ctx, emergency=True)
    assert mails(ctx, case) == []  # no application yet
    assert open_elements(ctx, case) == ["confirm_emergency"]
    do(ctx, case, "confirm_emergency")
    assert open_elements(ctx, case) == ["engineer_assessment", "file_application"]  # work may start
    do(ctx, case, "engineer_assessment")
    assert open_elements(ctx, case) == ["communication", "file_application"]  # the application is outstanding
    run_worker_at(ctx, clock, "2026-09-30T10:00:01")  # a working day: chased
    assert [m["subject"] for m in mails(ctx, case)] == ["【催办】请补发技术支持申请--欧莱雅--CITRIX安装"]
    run_worker_at(ctx, clock, "2026-10-01T10:00:02")  # National Day: no mail
    assert len(mails(ctx, case)) == 1
    do(ctx, case, "file_application", {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH",
                                        "support_kind": "non_project"}, actor="sales1")
    assert mails(ctx, case)[-1]["subject"].startswith("技术支持申请--欧莱雅--CITRIX安装--ZGH--")
    assert open_elements(ctx, case) == ["communication"]
    run_worker_at(ctx, clock, "2026-10-08T10:00:03")
    assert len(mails(ctx, case)) == 2  # chasing stopped once it was filed


@pytest.mark.parametrize("origin, decider, decision, next_open", [
    ("internal", "tech_director1", "stop", []),
    ("internal", "tech_director1", "proceed", ["communication"]),
    ("customer", "sales1", "stop", []),
    ("customer", "sales1", "proceed", ["communication"]),
])
def test_refused_or_unclear_requests_are_decided_by_the_right_person(ctx, origin, decider, decision, next_open):
    case = start(ctx, request_origin=origin)
    advance_to(ctx, case, "engineer_assessment")
    do(ctx, case, "engineer_assessment", {"assessment": "unclear", "reason": "需求不明确"})
    element = "director_decides" if origin == "internal" else "sales_decides"
    assert open_elements(ctx, case) == [element]
    with pytest.raises(Forbidden):  # not the engineer's decision
        do(ctx, case, element, {"decision": decision, "reason": "x"}, actor="engineer1")
    do(ctx, case, element, {"decision": decision, "reason": "已与客户确认"}, actor=decider)
    assert open_elements(ctx, case) == next_open
    if not next_open:
        assert queries.show_case(ctx, case)["status"] == "completed"


def test_a_completed_task_cannot_be_completed_again(ctx):
    case = start(ctx)
    confirm = task(ctx, case, "confirm_request")
    do(ctx, case, "confirm_request")
    with pytest.raises(Conflict):
        cases.complete_task(ctx, task_id=confirm["id"], actor="tech_director1",
                            data={"accepted": "yes", "engineer": "engineer1"})
