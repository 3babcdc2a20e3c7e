"""`guicheng serve` brings up gunicorn and the worker; the health check and front page answer."""

from __future__ import annotations

import time
import urllib.request

from tests.support.cli import cli_env, run_cli, spawn_cli
from tests.support.smtp_server import free_port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def test_serve_answers_health_and_front_page(database_url, home):
    env = cli_env(database_url, home)
    assert run_cli(env, "init", "--demo").returncode == 0
    port = free_port()
    server = spawn_cli(env, "serve", "--port", str(port), "--workers", "1")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/v1/health")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.3)
        assert status == 200 and '"status":"ok"' in body.replace(" ", "")
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "规程" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
