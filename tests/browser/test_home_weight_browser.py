"""The demo's home page on the wire (issue 13): at most 150 KB for the HTML, styles, scripts,
basemap and map data, as Chromium counts the bytes received, served by `citywatch serve`
(waitress and WhiteNoise, as in production: hashed, precompressed static files; gzip HTML)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.browser

BUDGET = 150 * 1024


def citywatch(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "citywatch", *arguments],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory) -> Iterator[str]:
    """The demo data served by `citywatch serve` from a data folder of its own (SQLite)."""
    data = tmp_path_factory.mktemp("weight") / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CITYWATCH_", "DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        CITYWATCH_DATA_DIR=str(data),
        CITYWATCH_SECRET_KEY="weight-" + secrets.token_hex(24),
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    citywatch(env, "init")
    citywatch(env, "load-demo")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "citywatch", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_demo_home_page_is_at_most_150_kb_on_the_wire(browser, served_demo):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received: dict[str, int] = {}
    urls: dict[str, str] = {}
    session.on(
        "Network.requestWillBeSent", lambda e: urls.update({e["requestId"]: e["request"]["url"]})
    )
    session.on(
        "Network.loadingFinished",
        lambda e: received.update({e["requestId"]: int(e["encodedDataLength"])}),
    )
    encodings: dict[str, str] = {}

    def remember(response) -> None:
        encodings[response.url] = response.headers.get("content-encoding", "")

    page.on("response", remember)
    page.goto(served_demo + "/", wait_until="networkidle")
    page.wait_for_selector(".leaflet-marker-icon, .marker-cluster")
    context.close()

    by_url = {urls.get(request, request): size for request, size in received.items()}
    paths = {urlsplit(url).path for url in by_url}
    assert "/map/deployments.json" in paths, paths
    assert any(path.endswith(".css") for path in paths)
    total = sum(by_url.values())
    detail = "\n".join(f"{size:8d} {url}" for url, size in sorted(by_url.items()))
    assert total <= BUDGET, f"{total} bytes on the wire:\n{detail}"
    # Text comes compressed: the HTML by GZip, the static files precompressed (Brotli, which
    # Chromium asks for first), the map data by the view itself.
    for url, encoding in encodings.items():
        if urlsplit(url).path.endswith((".css", ".js", ".json", "/")):
            assert encoding in ("br", "gzip"), (url, encoding)
