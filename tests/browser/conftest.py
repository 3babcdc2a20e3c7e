"""Browser tests: the real app on a live server, driven by Chromium through Playwright.

Chromium comes from the system (`/usr/bin/chromium`, installed by `make test`);
Playwright's own browser download is never used. Without Chromium the tests
are skipped locally and fail under `CI=true`.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import create_app
from service.config import PROJECT_ROOT
from service.operations.context import AppContext
from tests.support.requirements import missing

CHROMIUM = os.environ.get("GUICHENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
# Assertions on pages wait as long as actions do: `make test` runs two browsers at once on shared
# machines, and a page that answers in 6 s instead of 1 s is slow, not wrong (no timing is asserted)
EXPECT_TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    try:
        from playwright.sync_api import expect
    except ImportError:
        return  # reported by the browser fixture
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only: the database layer is exercised on PostgreSQL by tests/integration."""
    target = tmp_path / "guicheng.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or run `make test`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(ctx: AppContext) -> Iterator[str]:
    app = create_app(context=ctx)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class Staff:
    """One person at a browser: sign in, look at pages, keep screenshots."""

    def __init__(self, browser, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
        self.base, self.username = base, username
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        # refused submissions (400) are part of the tests; the network log is not a script error
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def go(self, path: str):  # type: ignore[no-untyped-def]
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, password: str = "demo") -> Staff:
        page = self.go("/login")
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        return self

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar belongs at the top
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def staff(browser, live_server: str) -> Iterator:  # type: ignore[no-untyped-def]
    opened: list[Staff] = []

    def open_as(username: str, *, sign_in: bool = True) -> Staff:
        person = Staff(browser, live_server, username)
        opened.append(person)
        return person.sign_in() if sign_in else person

    yield open_as
    for person in opened:
        person.close()
