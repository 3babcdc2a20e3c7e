"""Process paths run on SQLite (every step is a real save and reload); the
database layer itself is exercised on PostgreSQL by tests/integration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "guicheng.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"
