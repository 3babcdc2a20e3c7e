"""The soak's short form: 16 people for about 45 s on PostgreSQL while processes are killed.

A failing run prints the soak's whole report (which check, the server errors and the tracebacks
of the server's log), so the failure explains itself.
"""

from __future__ import annotations

import subprocess
import sys

from service.config import PROJECT_ROOT
from tests.support.requirements import postgres_url

SHORT_RUN = ["--minutes", "0.75", "--clients", "16", "--kill-every", "5", "--max-requests", "20000"]


def test_soak_under_load_and_kills_loses_and_doubles_nothing(tmp_path):
    url = postgres_url()  # a missing server fails the test, never skips it
    result = subprocess.run([sys.executable, "-m", "tests.soak.soak", *SHORT_RUN, "--workdir", str(tmp_path),
                             "--postgres-url", url], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"soak failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert "result: PASS" in result.stdout
