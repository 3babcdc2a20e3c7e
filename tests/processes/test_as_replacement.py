"""Replacement rules (更换): raised by the order itself — repairs counted per serial number across orders,
60 days not repaired under warranty, 90 days waiting for the maker's parts."""

from __future__ import annotations

from tests.processes.as_walk import advance_to, at, data, do, open_elements, run_worker_at, start, walk_to_close


def _spare_unit_done(ctx, case: int) -> None:  # type: ignore[no-untyped-def]
    """The 48 h spare unit, due in these long repairs: its task holds the data of when it opened, which the
    case's variables would show beside the repair's until it is done."""
    if "provide_spare_unit" in open_elements(ctx, case):
        do(ctx, case, "provide_spare_unit")


RULE_TWICE = "同一故障已维修两次仍不能正常使用：更换同型号产品"


def test_two_repairs_of_the_same_fault_across_orders_raise_a_replacement_on_the_third(ctx, clock):  # type: ignore[no-untyped-def]
    for day in ("2026-07-01T09:00", "2026-08-01T09:00"):
        clock.set(at(day))
        walk_to_close(ctx, start(ctx))
    clock.set(at("2026-09-30T11:00"))
    other_fault = start(ctx)  # a different fault of the same unit does not count
    advance_to(ctx, other_fault, "diagnose")
    do(ctx, other_fault, "diagnose", {"fault_code": "FAN-NOISE"})
    assert data(ctx, other_fault)["repairs_before"] == 0
    other_unit = start(ctx, serial_no="2BY.5084.1044.9")  # nor the same fault of another unit
    advance_to(ctx, other_unit, "confirm_warranty")
    do(ctx, other_unit, "confirm_warranty")
    assert open_elements(ctx, other_unit) == ["service_work"]
    third = start(ctx)
    advance_to(ctx, third, "confirm_warranty")
    do(ctx, third, "confirm_warranty")
    found = data(ctx, third)
    assert found["repair_history"]["repairs_before"] == 2 and len(found["repair_history"]["orders"]) == 2
    assert found["replacement_rule"] == RULE_TWICE
    assert open_elements(ctx, third) == ["replace_unit"]  # raised by the system, before any more repair
    do(ctx, third, "replace_unit")
    walk_to_close(ctx, third)
    closed = data(ctx, third)
    assert (closed["status"], closed["replaced"], closed["replacement_serial_no"]) == ("closed", True,
                                                                                      "2BY.5084.2000.9")


def test_a_voided_order_does_not_count_as_a_repair(ctx):  # type: ignore[no-untyped-def]
    walk_to_close(ctx, start(ctx))
    voided = start(ctx)
    do(ctx, voided, "review_order", {"review_action": "void", "void_reason": "重复"})
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    assert data(ctx, case)["repairs_before"] == 1


def test_not_repaired_within_60_days_under_warranty_is_replaced(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    do(ctx, case, "service_work", {"repaired": False})
    assert data(ctx, case)["replacement_check_at"] == "2026-11-29T11:00:00+08:00"  # 60 days after the request
    assert open_elements(ctx, case) == ["service_work"]
    run_worker_at(ctx, clock, "2026-11-29T10:59")
    assert "replace_unit" not in open_elements(ctx, case)
    run_worker_at(ctx, clock, "2026-11-29T11:00:01")
    _spare_unit_done(ctx, case)
    found = data(ctx, case)
    assert found["replacement_rule"] == "保修期内 60 天未修复：更换同型号产品"
    assert "replace_unit" in open_elements(ctx, case)


def test_paid_service_is_not_replaced_after_60_days(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "diagnose")
    do(ctx, case, "diagnose", {"fault_reason": "misuse"})
    do(ctx, case, "confirm_warranty", {"warranty_decision": "paid"})
    do(ctx, case, "service_work", {"repaired": False})
    assert data(ctx, case)["replacement_check_at"] == "2026-10-30T11:00:00+08:00"  # no time rule: checked monthly
    run_worker_at(ctx, clock, "2026-11-29T11:00:01")
    _spare_unit_done(ctx, case)
    assert data(ctx, case)["replacement_rule"] == ""
    assert "service_work" in open_elements(ctx, case) and "replace_unit" not in open_elements(ctx, case)


def test_90_days_waiting_for_the_makers_parts_is_replaced(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "diagnose")
    do(ctx, case, "diagnose", {"fault_reason": "misuse"})
    do(ctx, case, "confirm_warranty", {"warranty_decision": "paid"})  # so the 60-day rule does not apply
    clock.set(at("2026-10-02T09:00"))
    do(ctx, case, "service_work", {"repaired": False, "waiting_maker_parts": True})
    found = data(ctx, case)
    assert found["maker_parts_since"] == "2026-10-02T09:00:00+08:00"
    assert found["replacement_check_at"] == "2026-12-31T09:00:00+08:00"  # when the 90 days are over
    clock.set(at("2026-10-20T09:00"))  # another visit, still waiting: the waiting keeps its start
    do(ctx, case, "service_work", {"repaired": False, "waiting_maker_parts": True})
    _spare_unit_done(ctx, case)
    assert data(ctx, case)["maker_parts_since"] == "2026-10-02T09:00:00+08:00"
    for when in ("2026-11-19T09:00:01", "2026-12-19T09:00:01"):
        run_worker_at(ctx, clock, when)
        assert data(ctx, case)["replacement_rule"] == ""
    run_worker_at(ctx, clock, "2026-12-31T09:00:01")  # 90 days after 10-02
    _spare_unit_done(ctx, case)
    found = data(ctx, case)
    assert found["replacement_rule"] == "等待厂家配件 90 天：更换同型号产品"
    assert "replace_unit" in open_elements(ctx, case)
