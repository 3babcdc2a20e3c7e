"""What a test needs from the machine, in one place. A missing part fails the test with what to
install: `make test` installs and starts every part (PostgreSQL, Chromium, the fonts), so a skipped
test could only ever hide a missing install step."""

from __future__ import annotations

import os

import pytest


def missing(message: str) -> None:
    """Fail, naming the missing part and how to get it."""
    pytest.fail(f"{message} (`make test` installs and starts it)")


def postgres_url() -> str:
    """The throwaway PostgreSQL server that `make test` starts."""
    url = os.environ.get("GUICHENG_TEST_POSTGRES_URL")
    if not url:
        missing("no PostgreSQL (GUICHENG_TEST_POSTGRES_URL): run with `make test` to include it")
    assert url
    return url
