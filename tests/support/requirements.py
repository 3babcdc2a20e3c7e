"""What a test needs from the machine, in one place: in CI (`CI=true`) a missing part fails the run,
elsewhere it skips with what to install — so a skip can never hide a missing install step in CI."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI") == "true"


def missing(message: str) -> None:
    """Fail in CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def postgres_url() -> str:
    """The throwaway PostgreSQL server that `make test` starts."""
    url = os.environ.get("GUICHENG_TEST_POSTGRES_URL")
    if not url:
        missing("no PostgreSQL (GUICHENG_TEST_POSTGRES_URL): run with `make test` to include it")
    assert url
    return url
