"""What a test needs from the machine, in one place: in CI (`CI=true`) and under `make test` (which
installs and starts every part, and sets GUICHENG_TEST_STRICT=1) a missing part fails the run; only a
bare `pytest` on a developer's machine skips, saying what to install — so a skip can never hide a
missing install step in CI."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI") == "true"
STRICT = IN_CI or os.environ.get("GUICHENG_TEST_STRICT") == "1"


def missing(message: str) -> None:
    """Fail in CI and under `make test`, skip elsewhere."""
    if STRICT:
        pytest.fail(message)
    pytest.skip(message)


def postgres_url() -> str:
    """The throwaway PostgreSQL server that `make test` starts."""
    url = os.environ.get("GUICHENG_TEST_POSTGRES_URL")
    if not url:
        missing("no PostgreSQL (GUICHENG_TEST_POSTGRES_URL): run with `make test` to include it")
    assert url
    return url
