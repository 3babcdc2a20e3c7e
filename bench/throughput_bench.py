"""B1, B2: whole technical-support cases per second through the use cases, against the bare engine.

The bare engine is SpiffWorkflow in memory with the product's script engine (the diagram's conditions
and service tasks need it) and constant service answers: the floor no durable case can beat. The
durable case is the same request, same steps, through `operations` on a real database — each step its
own transaction with its audit events, inbox rows, timers and mails. The two alternate case by case,
so both see the same load on a shared machine.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from service.adapters.archive_store import DocumentStore
from service.operations import cases
from service.operations.context import AppContext
from service.persistence.models import HumanTask

from . import engine_bench
from .case_bench import prepared_context
from .rows import BenchSettings, Row, at_least, skipped
from .scenario import APPLICATION, steps
from .timing import interleaved, median_ratio

TARGETS = {"B1": ("sqlite", 0.25), "B2": ("postgresql", 0.15)}


def durable_case(ctx: AppContext, document: str) -> int:
    """One request from application to the weekly report, every step through the use case."""
    instance_id = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    for element_id, actor, values in steps(document):
        cases.complete_task(ctx, task_id=open_task_id(ctx, instance_id, element_id), actor=actor, data=values)
    return 1


def open_task_id(ctx: AppContext, instance_id: int, element_id: str) -> int:
    """The task row to complete, as a client that knows its task would name it (the bare engine finds
    its task in memory; neither pays for rendering an inbox)."""
    with ctx.db.reading() as session:
        return int(session.execute(select(HumanTask.id).where(
            HumanTask.instance_id == instance_id, HumanTask.element_id == element_id,
            HumanTask.status == "open")).scalar_one())


def _row(row_id: str, label: str, rounds: int, root: Path, url: str | None) -> Row:


    parsed = engine_bench.parsed_spec(root)
    with prepared_context(root, url) as ctx:
        document = DocumentStore(ctx.settings.home).store_upload("基准".encode(), "bench.docx").reference
        bare, durable = interleaved(lambda: engine_bench.one_case(parsed), lambda: durable_case(ctx, document),
                                    rounds)
    ratio = median_ratio(bare, durable)  # cases/s durable ÷ cases/s bare = bare ms ÷ durable ms
    bare_rate, durable_rate = 1000 / _median(bare), 1000 / _median(durable)
    target = TARGETS[row_id][1]
    return Row(row_id, f"whole cases/s, {label} ÷ bare engine (technical support, {len(steps('x'))} tasks)",
               round(ratio, 3), f"{ratio:.3f} ({durable_rate:.1f} vs {bare_rate:.1f} cases/s)", f"≥ {target}",
               at_least(ratio, target),
               {"rounds": rounds, "bare_ms": bare, "durable_ms": durable, "durable_cases_per_s": durable_rate,
                "bare_cases_per_s": bare_rate})


def _median(samples: list[float]) -> float:
    import statistics
    return statistics.median(samples)


def run(settings: BenchSettings) -> list[Row]:
    rounds = settings.size(30, 5)
    settings.progress(f"SQLite: {rounds} durable cases alternating with {rounds} bare ones")
    rows = [_row("B1", "SQLite", rounds, settings.root, None)]
    if settings.postgres_url is None:
        rows.append(skipped("B2", "whole cases/s, PostgreSQL ÷ bare engine", "≥ 0.15", "no PostgreSQL"))
    else:
        settings.progress(f"PostgreSQL: {rounds} durable cases alternating with {rounds} bare ones")
        rows.append(_row("B2", "PostgreSQL", rounds, settings.root, settings.postgres_url))
    return rows
