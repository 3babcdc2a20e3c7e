"""On the order: materials with their balance, fees, pending-parts release, signature, visit, close."""

from __future__ import annotations

import pytest

from service.operations import queries
from service.operations.errors import ValidationFailed
from tests.processes.as_walk import advance_to, data, do, mails, open_elements, run_worker_at, start, walk_to_close

REQUISITION_2 = {"material_no": "M-100", "name": "电源模块", "quantity": 2, "movement": "requisition"}
RETURN_1 = {"material_no": "M-100", "name": "电源模块", "quantity": 1, "movement": "return"}
SATISFIED = {k: "satisfied" for k in ("visit_response", "visit_attitude", "visit_quality", "visit_conduct",
                                      "visit_fees", "visit_overall")}


def test_requisition_two_return_one_leaves_a_balance_of_one(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    do(ctx, case, "service_work", {"material_lines": [REQUISITION_2, RETURN_1]})
    found = data(ctx, case)
    assert found["material_balance"] == [{"material_no": "M-100", "name": "电源模块", "requisitioned": 2,
                                          "returned": 1, "balance": 1}]
    assert [(m["movement"], m["quantity"], m["by"], m["at"]) for m in found["materials"]] == [
        ("requisition", 2, "engineer1", "2026-09-30T11:00:00+08:00"),
        ("return", 1, "engineer1", "2026-09-30T11:00:00+08:00")]


def test_a_return_beyond_what_was_requisitioned_is_refused_and_nothing_is_recorded(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    with pytest.raises(ValidationFailed) as refused:
        do(ctx, case, "service_work", {"material_lines": [RETURN_1]})
    assert "退料 1 多于本单领用 0" in str(refused.value.errors["material_lines"])
    assert open_elements(ctx, case) == ["service_work"] and data(ctx, case)["materials"] == []


def test_the_balance_runs_over_the_visits_of_one_order(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    do(ctx, case, "service_work", {"repaired": False, "material_lines": [REQUISITION_2]})
    assert open_elements(ctx, case) == ["service_work"]  # not repaired, no replacement rule yet: go on
    do(ctx, case, "service_work", {"material_lines": [RETURN_1, RETURN_1]})
    assert data(ctx, case)["material_balance"][0]["balance"] == 0


def test_covered_service_is_free(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "customer_signoff")
    found = data(ctx, case)
    assert (found["fees"], found["fee_total"], found["fee_free"]) == ([], 0, True)


def test_paid_service_is_charged_from_the_fee_table(ctx):  # type: ignore[no-untyped-def]
    models = pytest.importorskip("service.persistence.after_sales_models")
    with ctx.db.transaction() as session:
        session.query(models.ServiceFeeItem).delete()
        session.add_all([
            models.ServiceFeeItem(code="visit", name_zh="上门费", name_en="On-site fee", task_type=None, unit="次",
                                  amount_fen=20000, position=1),
            models.ServiceFeeItem(code="labour", name_zh="工时费", name_en="Labour", task_type="repair", unit="小时",
                                  amount_fen=15000, position=2),
            models.ServiceFeeItem(code="setup", name_zh="安装费", name_en="Installation", task_type="installation",
                                  unit="次", amount_fen=50000, position=3)])
    case = start(ctx)
    advance_to(ctx, case, "diagnose")
    do(ctx, case, "diagnose", {"fault_reason": "misuse"})
    do(ctx, case, "confirm_warranty", {"warranty_decision": "paid"})
    do(ctx, case, "service_work", {"labour_hours": 2.5})
    found = data(ctx, case)
    assert found["fees"] == [
        {"code": "visit", "name": "上门费", "name_en": "On-site fee", "quantity": 1, "amount": 200.0},
        {"code": "labour", "name": "工时费", "name_en": "Labour", "quantity": 2.5, "amount": 375.0}]
    assert (found["fee_total"], found["fee_free"]) == (575.0, False)


def test_released_with_a_part_owed_the_order_closes_only_when_it_is_delivered(ctx, clock):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "service_work")
    do(ctx, case, "service_work", {"owed_part_lines": [
        {"material_no": "R-7", "name": "遥控器", "quantity": 1, "due": "2026-10-09"},
        {"material_no": "C-2", "name": "连接线", "quantity": 2}]})
    found = data(ctx, case)
    assert (found["status"], found["parts_owed"]) == ("released", 2)
    assert [p["status"] for p in found["owed_parts"]] == ["owed", "owed"]
    assert open_elements(ctx, case) == ["customer_signoff", "deliver_owed_part"]
    # each owed part has its own daily reminder, to the desk
    assert run_worker_at(ctx, clock, "2026-10-01T11:00:01").timers_fired == 1
    reminders = [m for m in mails(ctx, case) if "欠件尚未交付" in m["subject"]]
    assert len(reminders) == 1 and reminders[0]["to"] == ["service_desk1@demo.guicheng.local",
                                                         "service_desk2@demo.guicheng.local"]
    do(ctx, case, "customer_signoff")
    do(ctx, case, "return_visit")
    owed_tasks = [t for t in queries.open_tasks(ctx, instance_id=case)]
    assert sorted(t["element_id"] for t in owed_tasks) == ["deliver_owed_part"]
    do(ctx, case, "deliver_owed_part", {"delivered_on": "2026-10-08"})
    assert open_elements(ctx, case) == ["deliver_owed_part"]  # one still owed: the order stays open
    assert queries.show_case(ctx, case)["status"] == "running"
    do(ctx, case, "deliver_owed_part", {"delivered_on": "2026-10-09"})
    shown = queries.show_case(ctx, case)
    assert shown["status"] == "completed" and shown["data"]["status"] == "closed"
    assert shown["data"]["parts_owed"] == 0
    assert sorted((p["material_no"], p["status"], p["delivered_at"]) for p in shown["data"]["owed_parts"]) == [
        ("C-2", "delivered", "2026-10-09"), ("R-7", "delivered", "2026-10-08")]


def test_the_customer_of_the_order_signs_the_service_report(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "customer_signoff")
    assert [t["element_id"] for t in queries.open_tasks(ctx, actor="customer2") if t["instance_id"] == case] == []
    do(ctx, case, "customer_signoff")
    found = data(ctx, case)
    assert found["signed_by"] == "王经理" and found["doc_service_report"].startswith("upload:")


def test_a_satisfied_visit_closes_the_order(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    walk_to_close(ctx, case)
    found = data(ctx, case)
    assert (found["status"], found["visit_satisfied"], found["repair_count"]) == ("closed", True, 1)


def test_a_dissatisfied_answer_opens_a_follow_up_for_the_head_of_the_desk(ctx):  # type: ignore[no-untyped-def]
    case = start(ctx)
    advance_to(ctx, case, "return_visit")
    do(ctx, case, "return_visit", {**SATISFIED, "visit_quality": "dissatisfied", "visit_comments": "投影仍偏色"})
    assert data(ctx, case)["visit_satisfied"] is False
    (mail,) = [m for m in mails(ctx, case) if "不满意" in m["subject"]]
    assert mail["to"] == ["service_desk1@demo.guicheng.local"]
    assert [t["element_id"] for t in queries.open_tasks(ctx, actor="service_desk2") if t["instance_id"] == case] == []
    do(ctx, case, "follow_up", actor="service_desk1")
    found = data(ctx, case)
    assert (found["status"], found["follow_up_result"]) == ("closed", "已致电道歉并安排复查")
