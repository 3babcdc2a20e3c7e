"""Shared pytest fixtures; the top-level conftest imports them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp_server import SmtpCatcher


@pytest.fixture
def smtp_catcher() -> Iterator[SmtpCatcher]:
    """A fresh SMTP server on 127.0.0.1 per test; inspect `.received` / `.messages()`."""
    with SmtpCatcher() as catcher:
        yield catcher
