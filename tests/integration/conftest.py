"""The web application over the test database, and a client for it: shared by the HTTP tests."""

from __future__ import annotations

import pytest

from service import create_app
from tests.support.replay_check import assert_every_case_replays


@pytest.fixture
def app(ctx):  # type: ignore[no-untyped-def]
    return create_app(context=ctx)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def every_case_replays(ctx):  # type: ignore[no-untyped-def]
    """For modules that move cases in every way (timers, 退回, migration, linked cases, crashes): at the
    end of each test every case replays from its log to exactly what is stored."""
    yield
    assert_every_case_replays(ctx)
