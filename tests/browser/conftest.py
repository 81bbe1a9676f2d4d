"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

Screenshots of every journey are kept in test-artifacts/screenshots/.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import transaction

from demo import reports as demo_reports
from demo.management.commands.load_demo import DEMO_LOADERS
from reports import rollups
from tests import factories

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server):
    """Chromium for one test, started after the live server and stopped before it.

    Playwright's sync API runs an event loop in the test's thread, and Django refuses
    ORM calls from a thread with a running loop. The tests' own ORM calls are plain
    synchronous code, so the guard is lifted exactly while the loop runs; stopping the
    browser before the database fixtures tear down keeps their flush outside it.
    """
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleErrors:
    """What a page logs as an error: its console's errors and its uncaught exceptions.

    Every browser test fails on any of them (the `page` fixture checks at the end), except
    those a test says it provokes on purpose with `allow(pattern)` — the browser's own line
    for a 401 the test causes, say — so an unexpected one still fails the test.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.allowed: list[re.Pattern] = []

    def watch(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.seen.append(self._where(message)))
        page.on("pageerror", lambda error: self.seen.append(f"uncaught: {error}"))

    @staticmethod
    def _where(message) -> str:
        location = message.location or {}
        return f"{message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})"

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [text for text in self.seen if not any(p.search(text) for p in self.allowed)]

    def check(self) -> None:
        unexpected = self.unexpected()
        assert not unexpected, "The browser logged errors:\n" + "\n".join(unexpected)


@pytest.fixture
def console_errors():
    return ConsoleErrors()


def new_page(browser, console: ConsoleErrors):
    """A page in a context of its own (its own cookies), watched for console errors."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    console.watch(page)
    return page


@pytest.fixture
def page(browser, console_errors):
    page = new_page(browser, console_errors)
    yield page
    page.context.close()
    console_errors.check()


@pytest.fixture
def shot(page):
    """shot(name): save a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # caret="initial": Playwright would hide the caret with a style attribute on every input,
        # which htmx then copies onto the swapped cell, and the Content-Security-Policy refuses.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return _shot


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


DEMO_PASSWORD = "unionportal-demo"


@pytest.fixture
def live_demo(transactional_db, settings, tmp_path):
    """The demo data of `make run`, committed so that the live server sees it.

    The real demo users (tw, hagiang, quangbinh…) and codes (HG-QB with its 87 branches,
    program QB-CTR04 with 2024 open). Uploads and prepared files go to a temporary folder.

    Every loader of `load_demo` runs, in one transaction as the command runs them, except the
    end of demo/reports.py: after refreshing the rollups it freezes the accepted 2022 and 2023
    reports, which no journey opens and which took a third of the loading time (about 6 s
    of 17 s per journey on SQLite).
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.restore_migration_rows()  # in case an earlier flush emptied them; the demo needs the levels
    with transaction.atomic():
        for load in DEMO_LOADERS:
            if load is demo_reports.load:
                rollups.refresh()
            else:
                load(password=DEMO_PASSWORD, stdout=io.StringIO())
