"""Contract numbers: each type numbers on its own, gap-free and unique, when contracts are approved at
the same moment by two workers with their own connections (SQLite and PostgreSQL); a step computed
again gets its case's number back; the process owner changes a prefix and the next number follows."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from service.operations import cases, contract_numbers, queries
from service.operations.context import AppContext
from service.operations.errors import Forbidden, ValidationFailed
from service.persistence.contract_models import ContractNumber
from service.persistence.db import Database
from tests.processes.ca_walk import data, do, start
from tests.processes.walk import task


def _register(ctx: AppContext) -> list[tuple[str, str, int, int]]:
    with ctx.db.reading() as session:
        return [(r.contract_no, r.contract_type, r.sequence, r.instance_id) for r in session.execute(
            select(ContractNumber).order_by(ContractNumber.contract_type, ContractNumber.sequence)).scalars()]


def _at_last_level(ctx: AppContext, contract_type: str) -> tuple[int, str]:
    """A contract whose last approval is open: (case, that task's element)."""
    case = start(ctx, contract_type=contract_type)
    do(ctx, case, "approve_sales_lead")
    if contract_type == "technical_service":
        return case, "approve_tech_director"
    do(ctx, case, "approve_tech_director")
    return case, "approve_finance"


def test_two_workers_approving_at_once_number_each_type_without_gaps(ctx, clock):  # type: ignore[no-untyped-def]
    waiting = [_at_last_level(ctx, kind) for kind in ["sales_consulting", "technical_service"] * 4]
    jobs: list[tuple[int, str, str]] = []
    for case, element in waiting:
        who = "finance1" if element == "approve_finance" else "tech_director1"
        jobs.append((task(ctx, case, element)["id"], who, element))
    workers = [AppContext(settings=ctx.settings, db=Database(ctx.settings.database_url), clock=clock)
               for _ in range(2)]
    start_together = threading.Barrier(2)
    failures: list[BaseException] = []

    def approve(worker: AppContext, mine: list[tuple[int, str, str]]) -> None:
        try:
            start_together.wait(30)
            for task_id, who, _element in mine:
                cases.complete_task(worker, task_id=task_id, actor=who,
                                    data={"approval_decision": "approve", "approval_opinion": "同意"})
        except BaseException as exc:  # noqa: BLE001 - reported below, with the worker's own words
            failures.append(exc)

    threads = [threading.Thread(target=approve, args=(worker, jobs[n::2])) for n, worker in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for worker in workers:
        worker.db.dispose()
    assert not failures, failures
    register = _register(ctx)
    by_type: dict[str, list[int]] = {}
    for _number, kind, sequence, _case in register:
        by_type.setdefault(kind, []).append(sequence)
    assert by_type == {"sales_consulting": [1, 2, 3, 4], "technical_service": [1, 2, 3, 4]}
    numbers = {case: data(ctx, case)["contract_no"] for case, _element in waiting}
    assert sorted(numbers.values()) == [f"JF-2026-000{n}" for n in range(1, 5)] + [
        f"XS-2026-000{n}" for n in range(1, 5)]
    assert {case: number for number, _kind, _seq, case in register} == numbers  # the register names each case


def test_a_step_computed_again_gets_its_cases_number_back(ctx):  # type: ignore[no-untyped-def]
    case, element = _at_last_level(ctx, "sales_consulting")
    first = contract_numbers.reserve_contract_no(ctx.db, instance_id=case, contract_type="sales_consulting",
                                                 year=2026, now=ctx.now())
    do(ctx, case, element, actor="finance1")  # the approving step reserves again: the same number
    assert data(ctx, case)["contract_no"] == first == "XS-2026-0001"
    assert [row[0] for row in _register(ctx)] == ["XS-2026-0001"]


def test_the_process_owner_changes_a_prefix_and_the_next_number_follows_it(ctx):  # type: ignore[no-untyped-def]
    shown = contract_numbers.numbering(ctx, actor="sales1")
    assert not shown["may_edit"]
    assert {s["contract_type"]: s["next_number"] for s in shown["schemes"]}["technical_service"] == "JF-2026-0001"
    with pytest.raises(Forbidden):
        contract_numbers.change_scheme(ctx, "technical_service", prefix="TS", digits=5, actor="sales1")
    with pytest.raises(ValidationFailed) as refused:
        contract_numbers.change_scheme(ctx, "technical_service", prefix="技术", digits=9, actor="process_owner1")
    assert set(refused.value.errors) == {"prefix", "digits"}
    contract_numbers.change_scheme(ctx, "technical_service", prefix="ts", digits=5, actor="process_owner1")
    case, element = _at_last_level(ctx, "technical_service")
    do(ctx, case, element, actor="tech_director1")
    assert data(ctx, case)["contract_no"] == "TS-2026-00001"
    with pytest.raises(Forbidden):
        contract_numbers.numbering(ctx, actor="customer1")  # customers see no numbering


def test_the_case_is_found_by_its_contract_number_once_approved(ctx):  # type: ignore[no-untyped-def]
    case, element = _at_last_level(ctx, "sales_consulting")
    do(ctx, case, element, actor="finance1")
    assert queries.show_case(ctx, case)["business_key"].startswith("XS-2026-0001 / ")


