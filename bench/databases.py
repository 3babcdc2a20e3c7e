"""Prepared databases for the benchmark phases: one prepared template per engine, a copy per phase.

Preparing a database (schema, calendar, the demo organisation's argon2 passwords, the processes)
takes about ten seconds; nine phases doing it afresh were half of `--quick`. Inside `shared()`
the first phase on an engine prepares a template and every phase gets its own copy of it (a file
copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so each still starts from the same
clean state. Outside it (`python -m bench.profile`, tests) each use prepares its own.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from service.adapters.clock import FrozenClock
from service.config import Settings
from service.operations import calendar, demo_org, deploy
from service.operations.context import AppContext
from service.persistence.db import Database
from service.persistence.migrate import upgrade

NOW = datetime(2026, 9, 30, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
Cleanup = Callable[[], None]


def prepare(root: Path, url: str, home: Path) -> None:
    """Schema, calendar, demo organisation and the real processes of `root`."""
    ctx = AppContext(settings=Settings(home=home, database_url=url, secret_key="bench"), db=Database(url),
                     clock=FrozenClock(NOW))
    try:
        upgrade(ctx.db.engine)
        calendar.seed_calendar(ctx)
        demo_org.ensure_demo_organisation(ctx)
        for bundle in deploy.bundles_from_paths([root / "processes"], root / "forms"):
            deploy.deploy_bundle(ctx, bundle, actor="bench")
    finally:
        ctx.db.dispose()


def _sibling(postgres_url: str, name: str) -> str:
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def _create_postgres(postgres_url: str, template: str = "template0") -> tuple[str, Cleanup]:
    name = f"guicheng_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE "{template}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return _sibling(postgres_url, name), drop


class Templates:
    """The prepared template of each engine, made on first use and dropped at the end."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root, self.folder = root, folder
        self.made: dict[str | None, str] = {}  # postgres server URL (None: SQLite) → template file or database
        self.cleanups: list[Cleanup] = []

    def template(self, postgres_url: str | None) -> str:
        if postgres_url not in self.made:
            if postgres_url is None:
                path = self.folder / "template.db"
                prepare(self.root, f"sqlite:///{path}", self.folder)
                self.made[None] = str(path)
            else:
                url, drop = _create_postgres(postgres_url)
                prepare(self.root, url, self.folder)
                self.cleanups.append(drop)
                self.made[postgres_url] = url.rsplit("/", 1)[1]
        return self.made[postgres_url]

    def copy(self, postgres_url: str | None, home: Path) -> tuple[str, Cleanup]:
        template = self.template(postgres_url)
        if postgres_url is None:
            shutil.copyfile(template, home / "bench.db")
            return f"sqlite:///{home / 'bench.db'}", lambda: None
        return _create_postgres(postgres_url, template)

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()


_SHARED: ContextVar[Templates | None] = ContextVar("bench_templates", default=None)


@contextmanager
def shared(root: Path) -> Iterator[Templates]:
    """Phases inside share one prepared template per engine."""
    with tempfile.TemporaryDirectory(prefix="guicheng-bench-template-") as folder:
        templates = Templates(root, Path(folder))
        token = _SHARED.set(templates)
        try:
            yield templates
        finally:
            _SHARED.reset(token)
            templates.close()


def fresh(root: Path, postgres_url: str | None, home: Path) -> tuple[str, Cleanup]:
    """A prepared database of its own for one phase: a copy of the shared template, or made afresh."""
    templates = _SHARED.get()
    if templates is not None:
        return templates.copy(postgres_url, home)
    if postgres_url is None:
        url = f"sqlite:///{home / 'bench.db'}"
        prepare(root, url, home)
        return url, lambda: None
    url, drop = _create_postgres(postgres_url)
    prepare(root, url, home)
    return url, drop
