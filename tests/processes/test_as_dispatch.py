"""Taking the order: deadlines on the elapsed-hours clock, review (correct or void), dispatch to one
engineer, and the 24 h / 48 h escalations to the head of the service desk (service_desk1)."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import Forbidden, ValidationFailed
from tests.processes.as_walk import advance_to, data, do, mails, open_elements, run_worker_at, start, task
from tests.processes.walk import mail_body

LEAD = ["service_desk1@demo.guicheng.local"]


def _tasks_of(ctx, user: str, case: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [t["element_id"] for t in queries.open_tasks(ctx, actor=user) if t["instance_id"] == case]


def test_a_new_order_is_numbered_and_its_deadlines_count_elapsed_hours_over_the_holiday(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx, requested_at="2026-09-30T20:00:00+08:00")  # the National Day holiday starts the next day
    found = data(ctx, case)
    assert found["order_no"] == f"PG202609-{case:04d}"
    assert (found["on_site_due"], found["fix_due"]) == ("2026-10-01T20:00:00+08:00", "2026-10-02T20:00:00+08:00")
    assert (found["status"], found["spare_unit"], found["deadline_clock"].startswith("经过小时")) == ("new", True, True)
    assert "2BY.5084.1044.1" in queries.show_case(ctx, case)["business_key"]
    assert open_elements(ctx, case) == ["review_order"]


def test_the_request_time_defaults_to_when_the_order_was_received(ctx):  # type: ignore[no-untyped-def]
    found = data(ctx, start(ctx))
    assert (found["requested_at"], found["on_site_due"]) == ("2026-09-30T11:00:00+08:00", "2026-10-01T11:00:00+08:00")


def test_the_desk_corrects_the_order_before_work_starts_and_the_deadlines_follow(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    do(ctx, case, "review_order", {"review_action": "correct"})
    with pytest.raises(ValidationFailed) as refused:  # a correction says why
        do(ctx, case, "correct_order", {**{k: v for k, v in data(ctx, case).items() if k in _ORDER_KEYS}},
           actor="service_desk2")
    assert "correction_reason" in refused.value.errors
    corrected = {**{k: v for k, v in data(ctx, case).items() if k in _ORDER_KEYS}, "serial_no": "2BY.5084.1044.2",
                 "requested_at": "2026-09-30T08:00:00+08:00", "correction_reason": "序列号抄错，报修时间为早上"}
    do(ctx, case, "correct_order", corrected, actor="service_desk2")
    found = data(ctx, case)
    assert (found["serial_no"], found["on_site_due"]) == ("2BY.5084.1044.2", "2026-10-01T08:00:00+08:00")
    assert open_elements(ctx, case) == ["review_order"]  # reviewed again
    do(ctx, case, "review_order")
    assert open_elements(ctx, case) == ["dispatch"]


_ORDER_KEYS = ("contract_no", "project", "customer", "address", "contact", "region_path", "task_type",
               "task_type_name", "serial_no", "product_model", "product_name", "part_kind", "first_use_on",
               "ex_factory_on", "warranty_extension_years", "warranty_claimed", "fault_kind", "request_description",
               "requested_at")


def test_the_desk_voids_the_order_with_a_reason_kept_in_its_history(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "review_order", {"review_action": "void"})
    assert list(refused.value.errors) == ["void_reason"]
    do(ctx, case, "review_order", {"review_action": "void", "void_reason": "客户重复报修"})
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and open_elements(ctx, case) == []
    assert (shown["data"]["status"], shown["data"]["void_reason"]) == ("voided", "客户重复报修")


def test_the_assigned_engineer_alone_sees_and_does_the_work(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "arrive_on_site")
    assert data(ctx, case)["status"] == "assigned"
    assert _tasks_of(ctx, "engineer1", case) == ["arrive_on_site"]
    assert _tasks_of(ctx, "engineer2", case) == []
    with pytest.raises(Forbidden):
        queries.get_task(ctx, task(ctx, case, "arrive_on_site")["id"], actor="engineer2")
    with pytest.raises(Forbidden):
        do(ctx, case, "arrive_on_site", actor="engineer2")
    do(ctx, case, "arrive_on_site")
    assert data(ctx, case)["status"] == "on_site"


def test_not_on_site_within_24_hours_escalates_to_the_head_of_the_desk_only(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "arrive_on_site")
    assert run_worker_at(ctx, clock, "2026-10-01T10:59").timers_fired == 0
    assert run_worker_at(ctx, clock, "2026-10-01T11:00:01").timers_fired == 1
    (late,) = [m for m in mails(ctx, case) if "24小时" in m["subject"]]
    assert (late["to"], late["cc"]) == (LEAD, [])
    assert "engineer1" in mail_body(ctx, case, late["subject"])
    assert "arrive_on_site" in open_elements(ctx, case)  # the engineer still has to go


def test_a_hardware_fault_not_fixed_within_48_hours_escalates_and_gets_a_spare_unit(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    run_worker_at(ctx, clock, "2026-10-02T11:00:01")
    (late,) = [m for m in mails(ctx, case) if "未在期限内修复" in m["subject"]]
    assert (late["to"], late["cc"]) == (LEAD, [])
    assert "备用机" in mail_body(ctx, case, late["subject"])
    assert open_elements(ctx, case) == ["provide_spare_unit", "service_work"]
    do(ctx, case, "provide_spare_unit")
    assert data(ctx, case)["spare_serial_no"] == "SPARE-001"
    assert open_elements(ctx, case) == ["service_work"]


def test_a_software_fault_past_its_fixing_deadline_is_escalated_without_a_spare_unit(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx, fault_kind="software")
    advance_to(ctx, case, "service_work")
    run_worker_at(ctx, clock, "2026-10-02T11:00:01")
    (late,) = [m for m in mails(ctx, case) if "未在期限内修复" in m["subject"]]
    assert late["to"] == LEAD and "备用机" not in mail_body(ctx, case, late["subject"])
    assert open_elements(ctx, case) == ["service_work"]


def test_fixed_in_time_nothing_is_escalated(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "customer_signoff")
    run_worker_at(ctx, clock, "2026-10-03T12:00")
    assert [m for m in mails(ctx, case) if "超时" in m["subject"]] == []
