"""Process paths run on SQLite (every step is a real save and reload); the
database layer itself is exercised on PostgreSQL by tests/integration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.replay_check import assert_every_case_replays


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "guicheng.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(autouse=True)
def every_case_replays(ctx):  # type: ignore[no-untyped-def]
    """Each process test's cases, at its end, replay from their logs to exactly what is stored."""
    yield
    assert_every_case_replays(ctx)
