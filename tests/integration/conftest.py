"""The web application over the test database, and a client for it: shared by the HTTP tests."""

from __future__ import annotations

import pytest

from service import create_app


@pytest.fixture
def app(ctx):  # type: ignore[no-untyped-def]
    return create_app(context=ctx)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
