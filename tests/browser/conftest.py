"""Browser tests: Debian's Chromium driven by Playwright against a live test server.

Never `playwright install`: the browser is the system's `chromium` (scripts/test installs it).
Screenshots go to $CITYWATCH_TEST_OUTPUT (default ./test-output), which git ignores.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: run scripts/test, which installs Debian's chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_demo(live_server, transactional_db):
    from citywatch.seed.loader import load_demo

    # Transactional tests empty every table afterwards, reference data included: the demo
    # loader puts countries, technologies and FOI laws back.
    load_demo()
    return live_server


class HostRecorder:
    """Records the host of every request a page makes, so tests can insist on one host."""

    def __init__(self, allowed_host: str) -> None:
        self.allowed_host = allowed_host
        self.foreign: list[str] = []

    def __call__(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).netloc != self.allowed_host:
            self.foreign.append(url)


@pytest.fixture
def page(browser, live_demo):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    recorder = HostRecorder(urlsplit(live_demo.url).netloc)
    page.on("request", recorder)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.host_recorder = recorder
    yield page
    context.close()
    assert recorder.foreign == [], f"requests to other hosts: {recorder.foreign}"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CITYWATCH_TEST_OUTPUT", "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def snap(page, folder: Path, name: str) -> None:
    """Screenshots of the page as it is now, at 1366 px and at 390 px (a phone), full length.

    Files: <name>-1366.png and <name>-390.png. The page keeps its desktop width afterwards.
    """
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=folder / f"{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def totp_code(secret: str, at: float | None = None) -> str:
    """The six-digit RFC 6238 code (30 s steps, HMAC-SHA1) an authenticator app shows."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    key = base64.b32decode(secret.replace(" ", "").upper())
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
