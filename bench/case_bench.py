"""The full stack per step: a task completion through the use case, on a real database."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.adapters.clock import FrozenClock
from service.config import Settings
from service.operations import cases, queries
from service.operations.context import AppContext
from service.persistence.db import Database

from . import databases
from .databases import NOW
from .scenario import APPLICATION, steps
from .timing import Result, measure


@contextmanager
def prepared_context(root: Path, database_url: str | None) -> Iterator[AppContext]:
    """A context over a prepared database of its own (see bench/databases.py), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="guicheng-bench-") as home:
        url, cleanup = databases.fresh(root, database_url, Path(home))
        ctx = AppContext(settings=Settings(home=Path(home), database_url=url, secret_key="bench"),
                         db=Database(url), clock=FrozenClock(NOW))
        try:
            yield ctx
        finally:
            ctx.db.dispose()
            cleanup()


def _one_case(ctx: AppContext, timings: list[float]) -> int:
    import time

    from service.adapters.archive_store import DocumentStore
    document = DocumentStore(ctx.settings.home).store_upload("基准".encode(), "bench.docx").reference
    instance_id = cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    for element_id, actor, values in steps(document):
        task = next(t for t in queries.open_tasks(ctx, instance_id=instance_id) if t["element_id"] == element_id)
        started = time.perf_counter()
        cases.complete_task(ctx, task_id=task["id"], actor=actor, data=values)
        timings.append((time.perf_counter() - started) * 1000)
    return 1


def run(root: Path, repeat: int, label: str, database_url: str | None) -> list[Result]:
    with prepared_context(root, database_url) as ctx:
        completions: list[float] = []
        starts = measure(f"{label}: start a case", "case",
                         lambda: cases.start_case(ctx, process_id="technical_support", actor="sales1",
                                                  data=APPLICATION) and 1, repeat)
        measure(f"{label}: whole case", "case", lambda: _one_case(ctx, completions), repeat)
        inbox = measure(f"{label}: inbox query (sales1)", "query",
                        lambda: len(queries.open_tasks(ctx, actor="sales1")) and 1, repeat)
        return [starts, Result(f"{label}: task completion (use case)", "step", completions), inbox]
