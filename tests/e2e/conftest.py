"""Real-browser journeys: Playwright (sync API) drives Debian's Chromium against pytest-django's live_server.

No browser is downloaded: Chromium comes from the system package (`make sysdeps-test`). Each test gets
a fresh browser context (its own cookies), the demo world seeded in the live server's database, and a
`shot` helper that writes numbered screenshots to test-artifacts/screenshots/<test name>-NN-<step>.png.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Playwright's sync API runs an asyncio loop in this thread, so Django refuses ORM calls unless told
    it is safe. Only for these tests, from set-up to tear-down (the database flush comes last)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so the page fixture can screenshot a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Browser:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make sysdeps-test).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo world (members.demo.seed) in the live server's database; returns its password."""
    from members import demo as demo_module

    demo_module.seed()
    return demo_module.DEMO_PASSWORD


def _new_page(browser: Browser, request, **context_options) -> Page:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    request.addfinalizer(lambda: _finish(request, context, page))
    return page


def _finish(request, context, page):
    report = getattr(request.node, "rep_call", None)
    try:
        if report is not None and report.failed and not page.is_closed():
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{_safe(request.node.name)}-FAILED.png", full_page=True)
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, request) -> Page:
    """A desktop-sized page in a fresh context (no cookies shared between tests)."""
    return _new_page(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, request) -> Page:
    """A phone-sized page (390×844, touch, mobile viewport meta honoured)."""
    return _new_page(browser, request, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def url(live_server):
    """url("/accounts/login/") → absolute address on the live server."""
    return lambda path="/": live_server.url + path


@pytest.fixture
def shot(request):
    """shot(page, "login") saves <test name>-01-login.png, numbering the steps of one test in order."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = _safe(request.node.name)
    for old in SCREENSHOTS.glob(f"{prefix}-*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def take(page: Page, step: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{prefix}-{next(counter):02d}-{_safe(step)}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take
