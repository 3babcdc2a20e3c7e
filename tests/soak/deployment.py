"""A real deployment on loopback: a fresh PostgreSQL database, gunicorn, two `guicheng worker`s.

Every process is started here, by pid, so any one of them can be killed with
SIGKILL and started again — the way a machine loses a process in production.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.config import PROJECT_ROOT
from tests.support.cli import cli_env, command
from tests.support.smtp_server import free_port

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
HOST = "127.0.0.1"


class SetupFailed(RuntimeError):
    """The deployment could not be brought up: the run proves nothing either way."""


def require_loopback(database_url: str) -> None:
    """The soak creates and drops databases: it must never touch a server off this machine."""
    host = make_url(database_url).host or ""
    if host not in LOOPBACK_HOSTS:
        raise SystemExit(f"soak: refusing PostgreSQL on '{host}': only a loopback server (127.0.0.1) is allowed")


@contextlib.contextmanager
def fresh_database(server_url: str, keep: bool = False) -> Iterator[str]:
    """A new, empty database on the server of `server_url`; dropped afterwards unless `keep`."""
    require_loopback(server_url)
    name = f"guicheng_soak_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Clocks:
    """The web server's frozen time, and the workers' later one: every deadline has passed for them."""

    server: str = "2026-09-30T11:00:00+08:00"
    worker: str = "2026-10-09T10:00:00+08:00"


@dataclass(frozen=True)
class WebOptions:
    workers: int = 2
    threads: int = 4


class Deployment:
    """gunicorn (`service.wsgi:app`) and background workers over one home folder and database."""

    def __init__(self, workdir: Path, database_url: str, clocks: Clocks, web: WebOptions,
                 worker_count: int = 2, worker_interval: float = 0.2) -> None:
        require_loopback(database_url)
        self.home, self.logs = workdir / "home", workdir / "logs"
        self.home.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(parents=True, exist_ok=True)
        self.database_url, self.clocks, self.web = database_url, clocks, web
        self.port = free_port()
        self.worker_interval = worker_interval
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes] | None] = [None] * worker_count

    @property
    def mail_dir(self) -> Path:
        return self.home / "mail"

    def env(self, clock: str) -> dict[str, str]:
        return cli_env(self.database_url, self.home, clock)

    def cli(self, *args: str, worker_clock: bool = False) -> subprocess.CompletedProcess[str]:
        env = self.env(self.clocks.worker if worker_clock else self.clocks.server)
        return subprocess.run(command(*args), env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=300)

    def cli_ok(self, *args: str, worker_clock: bool = False) -> str:
        result = self.cli(*args, worker_clock=worker_clock)
        if result.returncode != 0:
            raise SetupFailed(f"guicheng {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
        return result.stdout

    def upload(self, files: dict[str, bytes]) -> dict[str, str]:
        """Store documents with `guicheng upload`; file name → reference for a doc_* field."""
        folder = self.home.parent / "uploads"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
        references = self.cli_ok("upload", *(str(folder / name) for name in files)).split()
        return dict(zip(files, references, strict=True))

    def _spawn(self, args: list[str], clock: str, log_name: str) -> subprocess.Popen[bytes]:
        with (self.logs / log_name).open("ab") as log:
            return subprocess.Popen(args, env=self.env(clock), cwd=PROJECT_ROOT, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)

    def start_web(self) -> None:
        self.gunicorn = self._spawn(
            [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", "--workers", str(self.web.workers),
             "--threads", str(self.web.threads), "--timeout", "120", "--graceful-timeout", "10",
             "--no-control-socket",  # a fixed path in $HOME: two deployments at once would share it
             "service.wsgi:app"], self.clocks.server, "web.log")
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.gunicorn is not None
            if self.gunicorn.poll() is not None:
                raise SetupFailed(f"gunicorn exited {self.gunicorn.returncode}: see {self.logs / 'web.log'}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.2)
        raise SetupFailed(f"gunicorn did not answer /api/v1/health on {HOST}:{self.port} within {timeout} s")

    def start_worker(self, slot: int) -> None:
        self.workers[slot] = self._spawn(command("worker", "--interval", str(self.worker_interval)),
                                         self.clocks.worker, f"worker-{slot}.log")

    def start_workers(self) -> None:
        for slot in range(len(self.workers)):
            self.start_worker(slot)

    def web_worker_pids(self) -> list[int]:
        """gunicorn's worker processes: the master's children, read from /proc."""
        if self.gunicorn is None:
            return []
        master = self.gunicorn.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def kill_web_worker(self, pid: int) -> bool:
        """SIGKILL one gunicorn worker; the master starts a new one by itself."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_worker(self, slot: int) -> bool:
        process = self.workers[slot]
        if process is None or process.poll() is not None:
            return False
        process.kill()
        process.wait()
        self.workers[slot] = None
        return True

    def stop_workers(self) -> None:
        for slot, process in enumerate(self.workers):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            self.workers[slot] = None

    def stop_web(self) -> None:
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            self.gunicorn.terminate()
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait()

    def stop(self) -> None:
        self.stop_workers()
        self.stop_web()
