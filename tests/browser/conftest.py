"""What every browser test shares: Debian's Chromium kept offline, a page that records
console errors, and screenshots kept for people to look at.

Chromium is driven through Playwright for Python with ``executable_path`` (no browser
download). Screenshots and accessibility reports go to ``var/test-artefacts/browser/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright import sync_api

from .axe_check import ARTEFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: flags that keep Chromium from reaching the network or doing background work
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def save_shot(page, name: str) -> None:
    """Keep a full-page screenshot of ``page`` as ``var/test-artefacts/browser/<name>.png``."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def shot():
    """``shot(page, name)``: keep a full-page screenshot for people to look at."""
    return save_shot


@pytest.fixture(scope="module")
def browser():
    # no skip when Chromium is missing: `make test` installs it, and a silent skip would hide it
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed, so the browser tests cannot run; install it with "
            "'make chromium' (Debian's chromium package)",
            pytrace=False,
        )
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, request):
    """``open_page(**context_options)``: a page in a fresh browser context of its own that
    records script and console errors; the test fails at its end if any appeared."""
    contexts = []
    errors: list[str] = []

    def opened(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        new = context.new_page()
        new.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        new.on("console", lambda message: message.type == "error" and errors.append(message.text))
        return new

    yield opened
    for context in contexts:
        context.close()
    assert errors == [], f"the browser console reported errors in {request.node.name}"


@pytest.fixture
def page(open_page):
    """A fresh page that records console errors; the test fails if any appeared."""
    return open_page(accept_downloads=True, viewport={"width": 1100, "height": 900})
