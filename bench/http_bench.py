"""B5: task completions over HTTP under load, against the use case called in process.

gunicorn serves the application as `guicheng serve` does (two workers); sixteen client threads on
127.0.0.1 complete the technical directors' confirmations through `POST /api/v1/tasks/{id}/complete`.
Each round first runs a burst of HTTP completions, then the same number through
`cases.complete_task` in this process, so the ratio of the two rates compares like with like on a
machine whose load changes from minute to minute.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from service.operations import cases, queries, users
from service.operations.context import AppContext

from .case_bench import prepared_context
from .rows import BenchSettings, Row, at_least, skipped
from .scenario import APPLICATION
from .timing import percentile

CLIENTS = 16
CONFIRM = {"accepted": "yes", "engineer": "engineer1"}
RATIO, P95_MS = 0.7, 250.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, token: str, body: dict[str, object]) -> float:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"completion answered {response.status}")
    return (time.perf_counter() - started) * 1000


def _serve(ctx: AppContext, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GUICHENG_DATABASE_URL": ctx.settings.database_url, "GUICHENG_HOME": str(ctx.settings.home),
           "GUICHENG_SECRET_KEY": ctx.settings.secret_key, "GUICHENG_CLOCK": ctx.now().isoformat()}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--backlog", "64", "service.wsgi:app"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def _director_tasks(ctx: AppContext, count: int) -> list[int]:
    for _ in range(count):
        cases.start_case(ctx, process_id="technical_support", actor="sales1", data=APPLICATION)
    return [t["id"] for t in queries.open_tasks(ctx, actor="tech_director1")][-count:]


def _measure(settings: BenchSettings, label: str, url: str | None) -> dict[str, object]:
    rounds, burst = settings.size(6, 2), settings.size(96, 16)
    with prepared_context(settings.root, url) as ctx:
        settings.progress(f"{label}: starting {rounds * burst * 2} cases for the directors to confirm")
        tasks = _director_tasks(ctx, rounds * burst * 2)
        token = users.issue_token(ctx, "tech_director1")
        port = _free_port()
        server = _serve(ctx, port)
        base = f"http://127.0.0.1:{port}/api/v1"
        latencies: list[float] = []
        ratios, http_rates, use_case_rates = [], [], []
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                list(pool.map(lambda _: urllib.request.urlopen(f"{base}/health").read(), range(CLIENTS)))  # warm up
                for number in range(rounds):
                    settings.progress(f"{label}: round {number + 1}/{rounds}, {burst} completions each way")
                    over_http, in_process = tasks[:burst], tasks[burst:2 * burst]
                    tasks = tasks[2 * burst:]
                    started = time.perf_counter()
                    latencies += pool.map(lambda i: _post(f"{base}/tasks/{i}/complete", token, {"data": CONFIRM}),
                                          over_http)
                    http_rate = burst / (time.perf_counter() - started)
                    started = time.perf_counter()
                    for task_id in in_process:
                        cases.complete_task(ctx, task_id=task_id, actor="tech_director1", data=CONFIRM)
                    use_case_rate = burst / (time.perf_counter() - started)
                    http_rates.append(http_rate)
                    use_case_rates.append(use_case_rate)
                    ratios.append(http_rate / use_case_rate)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"ratio": statistics.median(ratios), "p95_ms": percentile(latencies, 0.95),
            "median_ms": statistics.median(latencies), "http_per_s": statistics.median(http_rates),
            "use_case_per_s": statistics.median(use_case_rates), "rounds": rounds, "burst": burst,
            "clients": CLIENTS}


def _row(row_id: str, label: str, figures: dict[str, object]) -> Row:
    ratio, p95 = float(figures["ratio"]), float(figures["p95_ms"])  # type: ignore[arg-type]
    shown = (f"{ratio:.2f} ({float(figures['http_per_s']):.1f} vs {float(figures['use_case_per_s']):.1f}/s), "  # type: ignore[arg-type]
             f"p95 {p95:.0f} ms")
    return Row(row_id, f"HTTP completions/s, {label}, {CLIENTS} clients ÷ use case in process; p95", round(ratio, 3),
               shown, f"≥ {RATIO}, p95 < {P95_MS:.0f} ms", at_least(ratio, RATIO) and p95 < P95_MS, figures)


def run(settings: BenchSettings) -> list[Row]:
    rows = [_row("B5", "SQLite", _measure(settings, "SQLite", None))]
    if settings.postgres_url is None:
        rows.append(skipped("B5", "HTTP completions/s, PostgreSQL", f"≥ {RATIO}, p95 < {P95_MS:.0f} ms",
                            "no PostgreSQL"))
    else:
        rows.append(_row("B5", "PostgreSQL", _measure(settings, "PostgreSQL", settings.postgres_url)))
    return rows


