"""Shared fixtures: a prepared database on SQLite and on PostgreSQL, a frozen clock.

The schema, calendar, demo users and deployed processes are prepared once per
test session into a template (a SQLite file; a PostgreSQL template
database), and every test gets a fresh copy — fast, and nothing leaks
between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from service.adapters.clock import FrozenClock
from service.config import PROJECT_ROOT, Settings
from service.operations import calendar, demo_after_sales, demo_org, deploy
from service.operations.context import AppContext
from service.persistence.db import Database
from service.persistence.migrate import upgrade
from tests.support.fixtures import smtp_catcher  # noqa: F401  (re-exported fixture)
from tests.support.requirements import postgres_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_NOW = datetime(2026, 9, 30, 11, 0, tzinfo=SHANGHAI)
POSTGRES_URL = os.environ.get("GUICHENG_TEST_POSTGRES_URL")


def _prepare(url: str, home: Path) -> None:
    settings = Settings(home=home, database_url=url, secret_key="test")
    ctx = AppContext(settings=settings, db=Database(url), clock=FrozenClock(DEFAULT_NOW))
    upgrade(ctx.db.engine)
    calendar.seed_calendar(ctx)
    demo_org.ensure_demo_organisation(ctx)
    demo_after_sales.ensure_demo_after_sales(ctx)  # contracts, regions, parts and fees of the after-sales desk
    for bundle in deploy.bundles_from_paths([PROJECT_ROOT / "processes"], PROJECT_ROOT / "forms"):
        deploy.deploy_bundle(ctx, bundle, actor="system")
    ctx.db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template")
    path = home / "template.db"
    _prepare(f"sqlite:///{path}", home)
    return path


def _admin_url(database: str = "postgres") -> str:
    assert POSTGRES_URL
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    postgres_url()
    name = f"guicheng_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    _prepare(_admin_url(name), tmp_path_factory.mktemp("pg-template"))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "guicheng.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"guicheng_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _admin_url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(DEFAULT_NOW)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def settings(database_url: str, home: Path) -> Settings:
    return Settings(home=home, database_url=database_url, secret_key="test-secret")


@pytest.fixture
def ctx(settings: Settings, clock: FrozenClock) -> Iterator[AppContext]:
    context = AppContext(settings=settings, db=Database(settings.database_url), clock=clock)
    yield context
    context.db.dispose()
