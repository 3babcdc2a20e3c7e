"""`guicheng serve` brings up gunicorn and the worker; the health check and front page answer.

The instance keeps to its own home: gunicorn's control socket is there (not in the user's shared
~/.gunicorn, where every instance of the user would fight over one), and the home, the database
and the socket are private to the user.
"""

from __future__ import annotations

import stat
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import cli_env, run_cli, spawn_cli
from tests.support.smtp_server import free_port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def _wait_for(server: subprocess.Popen[str], condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if server.poll() is not None or time.monotonic() > deadline:
            server.terminate()
            _out, errors = server.communicate(timeout=30)
            pytest.fail(f"`guicheng serve` not ready (exit code {server.returncode}):\n{errors}")
        time.sleep(0.3)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sqlite_files(database_url: str) -> list[Path]:
    if not database_url.startswith("sqlite:///"):
        return []
    database = database_url.removeprefix("sqlite:///")
    return [path for path in (Path(database), Path(f"{database}-wal"), Path(f"{database}-shm")) if path.exists()]


def test_serve_answers_from_its_own_private_home(database_url, home):
    env = cli_env(database_url, home)
    assert run_cli(env, "init", "--demo").returncode == 0
    port = free_port()
    control = home / "gunicorn.ctl"
    server = spawn_cli(env, "serve", "--port", str(port), "--workers", "1")
    try:
        _wait_for(server, lambda: _answers(f"http://127.0.0.1:{port}/api/v1/health") and control.exists())
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/health")
        assert status == 200 and '"status":"ok"' in body.replace(" ", "")
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "规程" in page

        assert stat.S_ISSOCK(control.stat().st_mode) and _mode(control) == 0o600
        assert oct(_mode(home)) == oct(0o700)
        written = _sqlite_files(database_url)
        assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(0o600) for p in written}
    finally:
        server.terminate()
        server.wait(timeout=30)
