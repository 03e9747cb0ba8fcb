"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser)."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser(live_server):
    # Asking for the live server first means it stops after the browser has gone: a
    # request thread still open to chromium would otherwise close its database
    # connection after the server stopped sharing it, and fail whichever test ran last.
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    _wait_for_request_threads()


def _wait_for_request_threads(timeout: float = 5.0) -> None:
    """The live server's request threads are daemons its shutdown does not join. One
    deadline for them all: a thread kept waiting on an idle keep-alive socket never ends
    by itself, and waiting `timeout` for each of a dozen made a teardown take a minute."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()
    # A response still streaming (a CSV download the test saw start) holds a read on its
    # tables: the database is emptied after this, so let it finish first.
    _wait_for_request_threads()


FAILING_IMPACTS = {"moderate", "serious", "critical"}
PHONE = {"width": 375, "height": 812}


def check_accessibility(page, name: str) -> None:
    """Screenshot the page at its width and at 375 px; fail on any moderate, serious or
    critical axe violation at either width, and on a page wider than the phone."""
    desktop = page.viewport_size
    problems = _axe(page, name)
    page.set_viewport_size(PHONE)
    try:
        problems += [f"at 375 px: {problem}" for problem in _axe(page, f"{name}-375")]
        overflow = page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
        if overflow > 0:
            problems.append(f"at 375 px the page is {overflow} px wider than the screen")
    finally:
        page.set_viewport_size(desktop)
    assert not problems, f"{name}: " + "; ".join(problems)


def _axe(page, name: str) -> list[str]:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]
