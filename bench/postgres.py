"""A PostgreSQL server for the PostgreSQL rows: the one given, or a throwaway cluster on 127.0.0.1.

`guicheng bench` should print every row on a machine where PostgreSQL is merely installed, as CI's
machines are, so with no server given it starts its own cluster (as the test wrapper does) and removes
it afterwards. Without the binaries the PostgreSQL rows say so and are skipped."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    return Path(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: the cluster then belongs to the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def server(given: str | None) -> Iterator[str | None]:
    if given:
        yield given
        return
    binaries = _binaries()
    if binaries is None:
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="guicheng-bench-pg-"))
    home.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run(_as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                                     "--locale=C.UTF-8", "--auth=trust", "--no-sync"]), **quiet)  # type: ignore[call-overload]
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c max_connections=200 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w",
                                     "start", "-o", options]), **quiet)  # type: ignore[call-overload]
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(home, ignore_errors=True)
