"""Acceptance (the customer signs), the closing meeting, and the payment collection the project manager owns:
finance records each payment, the project manager is reminded every seven days until everything is in.
Milestones are reached by recorded business results: time passing reaches none."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.im_walk import (
    PM,
    advance_to,
    data,
    do,
    mails,
    open_elements,
    run_worker_at,
    start,
    task,
    walk_to_end,
)
from tests.processes.walk import mail_body

DOMAIN = "@demo.guicheng.local"
REMINDER = "【回款提醒】"


def _reminders(ctx, case):  # type: ignore[no-untyped-def]
    return [m for m in mails(ctx, case) if m["subject"].startswith(REMINDER)]


def _at(ctx, element):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, element)
    return case


def test_acceptance_waits_for_the_customers_signature_and_goes_back_with_its_remarks(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "sign_acceptance")
    for outsider in ("customer2", PM):
        with pytest.raises(Forbidden):
            do(ctx, case, "sign_acceptance", actor=outsider)
    with pytest.raises(ValidationFailed) as unsigned:
        do(ctx, case, "sign_acceptance", {"doc_signed_acceptance": None})
    assert list(unsigned.value.errors) == ["doc_signed_acceptance"]
    do(ctx, case, "sign_acceptance", {"acceptance_signed": "no", "doc_signed_acceptance": None,
                                      "acceptance_issues": "客服报表缺两列"})
    assert open_elements(ctx, case) == ["prepare_acceptance"]
    shown = queries.get_task(ctx, task(ctx, case, "prepare_acceptance")["id"], actor=PM)["data"]
    assert shown["acceptance_issues"] == "客服报表缺两列"
    assert "acceptance" not in data(ctx, case)["milestones"]
    do(ctx, case, "prepare_acceptance")
    do(ctx, case, "sign_acceptance")
    found = data(ctx, case)
    assert found["milestones"]["acceptance"]["evidence"] == found["doc_signed_acceptance"]
    told = mails(ctx, case)[-1]
    assert "验收" in told["subject"] and told["to"] == ["finance1" + DOMAIN]
    assert sorted(told["cc"]) == sorted([PM + DOMAIN, "sales1" + DOMAIN])
    assert open_elements(ctx, case) == ["closing_meeting"]


def test_the_closing_meeting_ends_the_project_work_and_opens_the_collection(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "closing_meeting")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "closing_meeting", {"doc_closing_minutes": None})
    assert list(refused.value.errors) == ["doc_closing_minutes"]
    do(ctx, case, "closing_meeting")
    assert "closing" in data(ctx, case)["milestones"]
    assert open_elements(ctx, case) == ["record_payment"]
    assert [t["element_id"] for t in queries.open_tasks(ctx, actor="finance1") if t["instance_id"] == case] == [
        "record_payment"]


def test_the_project_manager_is_reminded_every_seven_days_until_everything_is_paid(ctx, clock):  # type: ignore[no-untyped-def]
    case = _at(ctx, "record_payment")
    run_worker_at(ctx, clock, "2026-10-07 10:59")
    assert _reminders(ctx, case) == []
    run_worker_at(ctx, clock, "2026-10-07 11:01")
    (first,) = _reminders(ctx, case)
    assert first["to"] == [PM + DOMAIN] and first["cc"] == ["finance1" + DOMAIN]
    assert "300,000.00 元未回款" in mail_body(ctx, case, first["subject"])
    do(ctx, case, "record_payment", {"payment_amount": 100000})  # a first part comes in
    found = data(ctx, case)
    assert (found["paid_total"], found["outstanding"]) == (100000, 200000)
    assert open_elements(ctx, case) == ["record_payment"]
    assert "payment" not in found["milestones"]
    run_worker_at(ctx, clock, "2026-10-14 11:02")
    assert len(_reminders(ctx, case)) == 2
    assert "200,000.00 元未回款" in mail_body(ctx, case, _reminders(ctx, case)[-1]["subject"])
    do(ctx, case, "record_payment", {"payment_amount": 200000})
    run_worker_at(ctx, clock, "2026-10-30 12:00")
    assert len(_reminders(ctx, case)) == 2  # paid: no more reminders
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "closed"
    assert [p["amount"] for p in shown["data"]["payments"]] == [100000, 200000]
    assert shown["data"]["milestones"]["payment"]["evidence"] == shown["data"]["payments"]
    assert "回款全部到账" in mails(ctx, case)[-1]["subject"]


def test_a_payment_above_what_is_outstanding_is_refused(ctx):  # type: ignore[no-untyped-def]
    case = _at(ctx, "record_payment")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "record_payment", {"payment_amount": 300000.01})
    assert list(refused.value.errors) == ["payment_amount"]
    assert data(ctx, case)["outstanding"] == 300000
    with pytest.raises(Forbidden):  # finance records what came in
        do(ctx, case, "record_payment", actor=PM)


def test_milestones_are_reached_by_recorded_results_not_by_time(ctx, clock):  # type: ignore[no-untyped-def]
    case = _at(ctx, "research_follow_up")
    before = data(ctx, case)["milestones"]
    run_worker_at(ctx, clock, "2027-03-31 18:00")  # half a year later, nothing recorded
    assert data(ctx, case)["milestones"] == before and list(before) == ["kickoff"]
    assert open_elements(ctx, case) == ["research_follow_up"]
    walk_to_end(ctx, case)
    reached = data(ctx, case)["milestones"]
    assert list(reached) == ["kickoff", "research", "solution", "training", "rollout", "acceptance", "closing",
                             "payment"]
    assert all(m["evidence"] for m in reached.values())
    assert reached["research"]["reached_at"].startswith("2027-03-31")


def test_a_project_with_nothing_to_collect_ends_at_its_closing_meeting(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, amount=0)  # e.g. implementation included in another contract
    advance_to(ctx, case, "closing_meeting")
    do(ctx, case, "closing_meeting")
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "closed"
    assert "payment" not in shown["data"]["milestones"] and shown["data"]["payments"] == []
    assert "项目结束" in mails(ctx, case)[-1]["subject"]
