"""The full stack per step: a task completion through the use case, on a real database."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from service.adapters.clock import FrozenClock
from service.config import Settings
from service.operations import calendar, cases, demo_org, deploy, queries
from service.operations.context import AppContext
from service.persistence.db import Database
from service.persistence.migrate import upgrade

from .scenario import APPLICATION, steps
from .timing import Result, measure

NOW = datetime(2026, 9, 30, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@contextmanager
def prepared_context(root: Path, database_url: str | None) -> Iterator[AppContext]:
    with tempfile.TemporaryDirectory(prefix="guicheng-bench-") as home:
        url, cleanup = _database(database_url, Path(home))
        ctx = AppContext(settings=Settings(home=Path(home), database_url=url, secret_key="bench"),
                         db=Database(url), clock=FrozenClock(NOW))
        try:
            upgrade(ctx.db.engine)
            calendar.seed_calendar(ctx)
            demo_org.ensure_demo_organisation(ctx)
            for bundle in deploy.bundles_from_paths([root / "processes"], root / "forms"):
                deploy.deploy_bundle(ctx, bundle, actor="bench")
            yield ctx
        finally:
            ctx.db.dispose()
            cleanup()


def _database(postgres_url: str | None, home: Path):  # type: ignore[no-untyped-def]
    if not postgres_url:
        return f"sqlite:///{home / 'bench.db'}", lambda: None
    name = f"guicheng_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}", drop


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
