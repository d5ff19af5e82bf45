"""Browser journeys: Debian's Chromium driven by Playwright against a live demo server.

pytest-django's live server answers from another thread, so it sees only
committed rows: every test that uses it is transactional, and the database is
emptied after each. Each test therefore loads the demo city afresh (a few
seconds), which is why the accessibility checks visit several pages per test.
Playwright never downloads a browser: `make chromium` installs Debian's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import get_resolver
from playwright.sync_api import Browser, Page, sync_playwright

from beatbridge.demo.services import load_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's URL, serving the demo city."""
    load_demo()
    # Import every view module now: on a busy machine the server's first request would
    # otherwise spend a page's whole timeout doing it.
    get_resolver().url_patterns  # noqa: B018
    return live_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make chromium` (Debian's chromium package).")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an event loop in this thread, and Django's ORM refuses
        # to run beside one unless told this synchronous use is deliberate.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A fresh browser profile (no cookies, English) with the site as its base URL."""
    context = browser.new_context(base_url=site, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
