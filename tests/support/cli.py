"""Run the real `guicheng` command in a subprocess against a test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from service.config import PROJECT_ROOT


def cli_env(database_url: str, home: Path, clock: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUICHENG_")}
    env.update(GUICHENG_DATABASE_URL=database_url, GUICHENG_HOME=str(home), GUICHENG_SECRET_KEY="test-secret")
    if clock:
        env["GUICHENG_CLOCK"] = clock
    env.update(extra)
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "service.cli", *args]


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=timeout)


def spawn_cli(env: dict[str, str], *args: str, pause_before_commit: float | None = None) -> subprocess.Popen[str]:
    """Start the command; with `pause_before_commit` it waits that long inside each write transaction."""
    argv = command(*args) if pause_before_commit is None else [
        sys.executable, "-m", "tests.support.paused_cli", str(pause_before_commit), *args]
    return subprocess.Popen(argv, env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
