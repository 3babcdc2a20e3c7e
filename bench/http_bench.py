"""Request latency of the inbox and task-completion endpoints under a quick local load:
gunicorn with two workers, four client threads, all on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.operations import cases, queries, users

from .case_bench import prepared_context
from .scenario import APPLICATION
from .rows import BenchSettings, Row
from .timing import Result

CLIENTS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, body: dict | None = None) -> float:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def _serve(ctx, port: int) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    env = {**os.environ, "GUICHENG_DATABASE_URL": ctx.settings.database_url, "GUICHENG_HOME": str(ctx.settings.home),
           "GUICHENG_SECRET_KEY": ctx.settings.secret_key, "GUICHENG_CLOCK": ctx.now().isoformat()}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "service.wsgi:app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not start")


def run(settings: "BenchSettings") -> list["Row"]:
    return []


def run_old(root: Path, cases_count: int, label: str, database_url: str | None) -> list[Result]:
    with prepared_context(root, database_url) as ctx:
        for _ in range(cases_count):
            cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
        task_ids = [t["id"] for t in queries.open_tasks(ctx, actor="tech_director1")]
        token = users.issue_token(ctx, "tech_director1")
        port = _free_port()
        server = _serve(ctx, port)
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                inbox = list(pool.map(lambda _: _request(f"{base}/tasks", token), range(cases_count * 2)))
                complete = list(pool.map(lambda i: _request(f"{base}/tasks/{i}/complete", token,
                                                            {"data": {"accepted": "yes", "engineer": "engineer1"}}),
                                         task_ids))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return [Result(f"{label} http: GET /tasks ({len(task_ids)} open, {CLIENTS} clients)", "request", inbox),
            Result(f"{label} http: POST complete ({CLIENTS} clients)", "request", complete)]
