"""The soak's short form: 16 people for about 45 s on PostgreSQL while processes are killed.

A failing run prints the soak's whole report (which check, the server errors and the tracebacks
of the server's log), so the failure explains itself.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from service.config import PROJECT_ROOT
from tests.conftest import IN_CI, POSTGRES_URL

SHORT_RUN = ["--minutes", "0.75", "--clients", "16", "--kill-every", "5", "--max-requests", "20000"]


def test_soak_under_load_and_kills_loses_and_doubles_nothing(tmp_path):
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("GUICHENG_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("no PostgreSQL: run with `make test` to include the soak")
    result = subprocess.run([sys.executable, "-m", "tests.soak.soak", *SHORT_RUN, "--workdir", str(tmp_path),
                             "--postgres-url", POSTGRES_URL], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"soak failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert "result: PASS" in result.stdout
