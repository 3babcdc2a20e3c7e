"""Cases a step asks to open (a visit plan's dispatch orders): recorded with the step, opened once by
the worker however many workers share the queue or crash on the way, and a failing start becomes an
incident on the requesting case without holding up the others. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from service.operations import background, case_starts
from service.operations.context import AppContext
from service.persistence.case_start_models import CaseStart
from service.persistence.db import Database
from service.persistence.models import Incident, ProcessInstance
from tests.processes.test_as_visit_plan import ensure_order_process, orders_of, start_plan
from tests.processes.walk import at


@pytest.fixture(autouse=True)
def orders_deployed(ctx: AppContext) -> None:
    ensure_order_process(ctx)


def _rows(ctx: AppContext) -> list[CaseStart]:
    with ctx.db.reading() as session:
        return list(session.execute(select(CaseStart).order_by(CaseStart.id)).scalars())


def _plans_due(ctx: AppContext, clock, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    clock.set(at("2026-12-01T08:00"))
    plans = [start_plan(ctx, contract_no=f"HT-2026-{i:03d}") for i in range(n)]
    clock.set(at("2026-12-20T10:00"))
    return plans


def test_the_request_is_recorded_with_the_step_and_opened_by_the_next_round(ctx, clock):
    plan = _plans_due(ctx, clock, 1)[0]
    fired = background.fire_due_timers(ctx, background.WorkReport())  # the timer step alone
    assert fired is None and orders_of(ctx, plan) == []
    [row] = _rows(ctx)
    assert (row.status, row.instance_id, row.element_id, row.actor) == ("pending", plan, "open_order", "service_desk1")
    report = background.run_once(ctx)
    assert report.cases_opened == 1
    [row] = _rows(ctx)
    assert row.status == "done" and row.case_id == orders_of(ctx, plan)[0].id


def test_two_workers_with_their_own_connections_open_each_order_once(ctx, clock, monkeypatch):
    monkeypatch.setattr(case_starts, "BATCH", 2)  # several batches each, so the workers interleave
    plans = _plans_due(ctx, clock, 6)
    workers = [AppContext(settings=ctx.settings, db=Database(ctx.settings.database_url), clock=clock)
               for _ in range(2)]
    reports: list[background.WorkReport] = []
    threads = [threading.Thread(target=lambda w=w: reports.append(background.run_once(w))) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for worker in workers:
        worker.db.dispose()
    assert len(reports) == 2, "a worker failed"
    assert sum(r.cases_opened for r in reports) == 6
    assert {plan: len(orders_of(ctx, plan)) for plan in plans} == {plan: 1 for plan in plans}
    rows = _rows(ctx)
    assert all(r.status == "done" for r in rows) and len({r.case_id for r in rows}) == 6
    assert background.run_once(ctx).cases_opened == 0  # nothing opens twice


def test_a_crash_between_opening_the_order_and_marking_its_row_opens_it_only_once(ctx, clock):
    plan = _plans_due(ctx, clock, 1)[0]
    background.fire_due_timers(ctx, background.WorkReport())

    def crash(step: str) -> None:
        if step == "case_start":
            raise KeyboardInterrupt("the worker died before marking the row")
    ctx.hooks.before_commit = crash
    with pytest.raises(KeyboardInterrupt):
        case_starts.open_requested_cases(ctx)
    ctx.hooks.before_commit = None
    assert len(orders_of(ctx, plan)) == 1 and _rows(ctx)[0].status == "pending"  # opened, not marked
    with ctx.db.transaction() as session:  # the dead worker's lease runs out
        session.execute(update(CaseStart).values(claimed_until=background.real_now() - timedelta(seconds=1)))
    assert case_starts.open_requested_cases(ctx)["recovered"] == 1
    [order] = orders_of(ctx, plan)
    [row] = _rows(ctx)
    assert row.status == "done" and row.case_id == order.id
    assert background.run_once(ctx).cases_opened == 0 and len(orders_of(ctx, plan)) == 1


def test_a_start_still_in_progress_is_left_for_a_later_round(ctx, clock):
    plan = _plans_due(ctx, clock, 1)[0]
    background.fire_due_timers(ctx, background.WorkReport())
    [row] = _rows(ctx)
    with ctx.db.transaction() as session:  # another worker has reserved the order's case and not finished
        definition = session.execute(select(ProcessInstance.definition_id).where(
            ProcessInstance.id == plan)).scalar_one()
        session.add(ProcessInstance(definition_id=definition, process_id=row.process_id, business_key=row.business_key,
                                    status="starting", state_json="{}", data={}, started_by=row.actor,
                                    started_at=clock.now(), updated_at=background.real_now()))
    assert case_starts.open_requested_case(ctx, row.id) == "skipped"
    assert _rows(ctx)[0].status == "pending" and orders_of(ctx, plan) == []


def test_a_failing_start_becomes_an_incident_and_the_others_are_opened(ctx, clock):
    plans = _plans_due(ctx, clock, 2)
    background.fire_due_timers(ctx, background.WorkReport())
    with ctx.db.transaction() as session:  # the first plan's order names a process nobody deployed
        session.execute(update(CaseStart).where(CaseStart.instance_id == plans[0])
                        .values(process_id="after_sales_missing"))
    report = background.run_once(ctx)
    assert report.cases_opened == 1 and report.incidents == 1
    failed, done = sorted(_rows(ctx), key=lambda r: r.instance_id != plans[0])
    assert failed.status == "failed" and "after_sales_missing" in (failed.error or "") and failed.attempts == 1
    assert failed.next_try_at is not None and done.status == "done"
    assert len(orders_of(ctx, plans[1])) == 1
    with ctx.db.reading() as session:
        incident = session.get(Incident, failed.incident_id)
        assert incident is not None and incident.status == "open" and incident.instance_id == plans[0]
        assert incident.element_id == "open_order" and "after_sales_missing" in incident.message
        assert session.get(ProcessInstance, plans[0]).status == "running"  # the plan keeps its later visits
    assert background.run_once(ctx).incidents == 0  # not again before its backoff
    with ctx.db.transaction() as session:  # the backoff has passed, and the process is fixed
        session.execute(update(CaseStart).where(CaseStart.id == failed.id).values(
            process_id="after_sales_service", next_try_at=background.real_now() - timedelta(seconds=1)))
    assert background.run_once(ctx).cases_opened == 1
    assert len(orders_of(ctx, plans[0])) == 1
    with ctx.db.reading() as session:
        incident = session.get(Incident, failed.incident_id)
        assert incident is not None and incident.status == "resolved"
    assert [r.status for r in _rows(ctx)] == ["done", "done"]
