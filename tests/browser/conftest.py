"""Fixtures for the browser test: Debian's Chromium driven by Playwright against live_server.

Nothing here downloads a browser: the test uses /usr/bin/chromium (`apt-get install chromium`)
and fails, rather than skips, when it is missing, unless SATUPINTU_SKIP_BROWSER=1.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR = Path("/tmp/satupintu-browser")  # noqa: S108 - fixed path the brief asks for
# The machine only has loopback: no background requests, updates, sync or QUIC.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so fixtures can tell whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def require_chromium():
    """The Chromium to drive; fails the test when it is missing (skips if told to)."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    if os.environ.get("SATUPINTU_SKIP_BROWSER") == "1":
        pytest.skip(f"{CHROMIUM} is missing and SATUPINTU_SKIP_BROWSER=1")
    pytest.fail(
        f"{CHROMIUM} not found: the browser tests need Debian's Chromium. Install it with "
        "`apt-get install chromium` (do not run `playwright install`), or set "
        "SATUPINTU_SKIP_BROWSER=1 to skip them.",
        pytrace=False,
    )


class BrowserSession:
    """Chromium, launched on the first new_page() call, inside the test itself, so a missing
    browser makes the test fail (not error in setup)."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.playwright = None
        self.browser = None
        self._guard_off = False
        self._previous_async_unsafe = None

    def new_page(self):
        """A page in a fresh context (its own cookies): one per user."""
        if self.browser is None:
            self._launch()
        context = self.browser.new_context(
            base_url=self.base_url, locale="id-ID", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context.new_page()

    def _launch(self):
        executable = require_chromium()
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an asyncio event loop in this thread (switching to it
        # through greenlets), so asyncio reports a running loop here and Django's
        # @async_unsafe guard would refuse every ORM call the test makes
        # (SynchronousOnlyOperation). Nothing is really concurrent: the test touches the
        # database only between browser calls, while no coroutine runs, and the live server
        # answers in its own threads with their own connections. So the guard is off while
        # the browser runs, and restored afterwards.
        self._previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self._guard_off = True
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )

    def screenshot_all(self, test_name):
        if self.browser is None:
            return
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", test_name)
        for c, context in enumerate(self.browser.contexts):
            for p, page in enumerate(context.pages):
                path = SCREENSHOT_DIR / f"{stem}-context{c}-page{p}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                    print(f"screenshot of {page.url}: {path}")
                except Exception as error:  # a screenshot must not hide the test's own error
                    print(f"no screenshot of {page.url}: {error}")

    def close(self):
        if not self._guard_off:
            return  # never launched
        try:
            # While Playwright's loop runs, asgiref keys Django's connections by context
            # rather than by thread, so the test's ORM calls opened connections of their own
            # that Django's teardown cannot see (on PostgreSQL the test database could then
            # not be dropped: "being accessed by other users"). Close them while they are
            # still reachable, before Playwright stops.
            from django.db import connections

            connections.close_all()
            if self.browser is not None:
                self.browser.close()
        finally:
            if self.playwright is not None:
                self.playwright.stop()
            self.playwright = self.browser = None
            if self._previous_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._previous_async_unsafe
            self._guard_off = False


@pytest.fixture
def browser(request, portal_live):
    """A BrowserSession on the live server; screenshots to /tmp/satupintu-browser/ if the test
    fails."""
    session = BrowserSession(portal_live.url)
    try:
        yield session
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            session.screenshot_all(request.node.name)
    finally:
        session.close()
