"""Recurring after-sales visits: a plan per contract and kind of visit opens one dispatch order per visit,
on the frozen clock advanced month by month, and stops at the end of the contract's service period (or
when the desk stops it). Every case replays from its log (the autouse check of tests/processes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from service.operations import background, cases, deploy, message_delivery, queries
from service.operations.case_starts import OPENED_BY_EVENT, OPENED_EVENT, case_starts_of
from service.operations.context import AppContext
from service.persistence.models import Event, ProcessDefinition, ProcessInstance
from service.service_tasks.after_sales_visit_plan import add_months
from tests.processes.walk import at

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "after_sales_order"
PLAN = {"contract_no": "HT-2026-001", "customer": "欧莱雅", "project": "CITRIX安装",
        "address": "上海市徐汇区宜山路 700 号", "contact": "王经理", "visit_kind": "monthly_visit",
        "first_visit_on": "2026-12-01", "service_until": "2027-06-30", "plan_note": ""}


def ensure_order_process(ctx: AppContext) -> None:
    """The dispatch order process, or a stand-in with its start variables while it is not deployed."""
    with ctx.db.reading() as session:
        deployed = session.execute(select(func.count()).select_from(ProcessDefinition).where(
            ProcessDefinition.process_id == "after_sales_service")).scalar()
    if not deployed:
        for bundle in deploy.bundles_from_paths([FIXTURE / "after_sales_service.bpmn"], FIXTURE / "forms"):
            deploy.deploy_bundle(ctx, bundle, actor="system")


@pytest.fixture
def orders_deployed(ctx: AppContext) -> None:
    ensure_order_process(ctx)


def start_plan(ctx: AppContext, **overrides: Any) -> int:
    return cases.start_case(ctx, process_id="after_sales_visit_plan", actor="service_desk1",
                            data={**PLAN, **overrides})


def orders_of(ctx: AppContext, plan_id: int) -> list[ProcessInstance]:
    with ctx.db.reading() as session:
        found = session.execute(select(ProcessInstance).where(ProcessInstance.process_id == "after_sales_service")
                                .order_by(ProcessInstance.id)).scalars().all()
        return [o for o in found if (o.data or {}).get("visit_plan_case") == plan_id]


def status(ctx: AppContext, case_id: int) -> str:
    return str(queries.show_case(ctx, case_id)["status"])


def events(ctx: AppContext, case_id: int, kind: str) -> list[dict[str, Any]]:
    with ctx.db.reading() as session:
        return list(session.execute(select(Event.payload).where(Event.instance_id == case_id, Event.type == kind)
                                    .order_by(Event.seq)).scalars())


def month_by_month(ctx: AppContext, clock: Any, plan_id: int, days: list[str]) -> list[int]:
    """Run the worker on each day given; the number of the plan's orders after each run."""
    counts = []
    for day in days:
        clock.set(at(f"{day}T10:00"))
        background.run_once(ctx)
        counts.append(len(orders_of(ctx, plan_id)))
    return counts


def test_a_monthly_plan_opens_one_return_visit_a_month_and_ends_with_the_service_period(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx)
    assert orders_of(ctx, plan) == [] and status(ctx, plan) == "running"  # nothing before the visit day
    months = ["2026-12-20", "2027-01-20", "2027-02-20", "2027-03-20", "2027-04-20", "2027-05-20", "2027-06-20"]
    assert month_by_month(ctx, clock, plan, months) == [1, 2, 3, 4, 5, 6, 7]
    assert status(ctx, plan) == "completed"  # the next visit (2027-07-01) lies after 2027-06-30
    assert month_by_month(ctx, clock, plan, ["2027-07-20", "2027-12-20"]) == [7, 7]
    orders = orders_of(ctx, plan)
    first = orders[0].data
    assert first["task_type"] == "return_visit" and first["contract_no"] == "HT-2026-001"
    assert first["customer"] == "欧莱雅" and first["address"] == PLAN["address"] and first["contact"] == "王经理"
    assert first["visit_plan_case"] == plan and first["requested_at"].startswith("2026-12-01T09:00")
    assert all(o.started_by == "service_desk1" and o.status == "running" for o in orders)
    planned = [o.data["request_description"].split("计划 ")[1][:10] for o in orders]
    assert planned == [f"{m[:7]}-01" for m in months]
    assert "月度回访 2027-01-01" in orders[1].business_key
    # each history says which case opened which
    assert [p["linked_case"] for p in events(ctx, plan, OPENED_EVENT)] == [o.id for o in orders]
    assert all(events(ctx, o.id, OPENED_BY_EVENT)[0]["linked_case"] == plan for o in orders)
    assert all(row["status"] == "done" for row in case_starts_of(ctx, plan))


def test_the_worker_opens_an_order_only_on_its_day(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx)
    assert month_by_month(ctx, clock, plan, ["2026-12-01"]) == [1]  # 10:00, after the day's start (09:00)
    clock.set(at("2026-12-31T23:00"))
    background.run_once(ctx)
    assert len(orders_of(ctx, plan)) == 1


def test_a_quarterly_plan_opens_maintenance_orders_every_three_months(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx, visit_kind="quarterly_maintenance", first_visit_on="2026-12-15",
                      service_until="2027-12-14")
    months = [f"{y}-{m:02d}-28" for y, m in [(2026, 12)] + [(2027, m) for m in range(1, 13)]]
    counts = month_by_month(ctx, clock, plan, months)
    assert counts == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4]  # Dec, Mar, Jun, Sep; 2027-12-15 is past the end
    assert status(ctx, plan) == "completed"
    orders = orders_of(ctx, plan)
    assert {o.data["task_type"] for o in orders} == {"maintenance"}
    assert [o.data["request_description"].split("计划 ")[1][:10] for o in orders] == [
        "2026-12-15", "2027-03-15", "2027-06-15", "2027-09-15"]


def test_a_yearly_plan_visits_on_the_next_working_day(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx, visit_kind="yearly_service", first_visit_on="2027-05-01", service_until="2029-04-30")
    month_by_month(ctx, clock, plan, ["2027-05-31", "2028-05-31", "2029-05-31"])
    orders = orders_of(ctx, plan)
    assert len(orders) == 2 and status(ctx, plan) == "completed"
    opened_on = [date.fromisoformat(o.data["requested_at"][:10]) for o in orders]
    assert all(d >= date(2027 + i, 5, 1) and d.weekday() < 5 for i, d in enumerate(opened_on))


def test_the_desk_stops_a_plan_early_and_orders_already_opened_stay(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx)
    assert month_by_month(ctx, clock, plan, ["2026-12-20", "2027-01-20"]) == [1, 2]
    business_key = queries.show_case(ctx, plan)["business_key"]
    delivery = message_delivery.deliver_message(ctx, actor="service_desk1", name="after_sales_visit_plan_stop",
                                                correlation={"business_key": business_key},
                                                data={"stop_reason": "合同提前终止"})
    assert delivery.as_dict()["cases"] == [plan]
    assert status(ctx, plan) == "completed"
    assert month_by_month(ctx, clock, plan, ["2027-02-20", "2027-03-20"]) == [2, 2]
    assert all(o.status == "running" for o in orders_of(ctx, plan))


def test_a_plan_with_no_visit_in_the_period_ends_at_once(ctx, clock, orders_deployed):
    clock.set(at("2026-12-01T08:00"))
    plan = start_plan(ctx, first_visit_on="2027-07-01")
    assert status(ctx, plan) == "completed" and case_starts_of(ctx, plan) == []


def test_visits_planned_before_the_plan_was_set_up_are_not_opened_late(ctx, clock, orders_deployed):
    clock.set(at("2027-02-10T08:00"))
    plan = start_plan(ctx)  # first visit 2026-12-01: December, January and February are past
    assert month_by_month(ctx, clock, plan, ["2027-02-20", "2027-03-20"]) == [0, 1]
    assert orders_of(ctx, plan)[0].data["request_description"].split("计划 ")[1][:10] == "2027-03-01"


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2027, 1, 31), 1, date(2027, 2, 28)), (date(2027, 1, 31), 2, date(2027, 3, 31)),
    (date(2027, 11, 30), 3, date(2028, 2, 29)), (date(2026, 12, 1), 12, date(2027, 12, 1))])
def test_visit_dates_count_from_the_first_visit(start, months, expected):
    assert add_months(start, months) == expected
