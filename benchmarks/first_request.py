"""The first request after a change of the data, against the same request served warm.

    CITYWATCH_DATA_DIR=/tmp/cw-bench python benchmarks/first_request.py --count 100000

Every committed write replaces the data's generation (``citywatch.core.data_cache``); a
visitor's reads are kept under the public dataset's version instead, which a private edit
leaves as it was. This serves the database of ``benchmarks/atlas_scale.py`` (filled once,
reused) with ``citywatch serve`` and, for each address, asked by a visitor:

- "any change": before each of ``--repeat`` requests, ``data_changed()`` (as a write the
  public version cannot see does: every read the page needs is computed again);
- "private edit": before each request, one private deployment saved (its title changed and
  changed back in turns): only the public dataset's fingerprint is computed again;
- "private edit in the server": before each request, one private deployment changed through
  the server's API (``PATCH``, a superuser's write token), one second before the request: the
  server computes the public version again in the background after the commit
  (``CITYWATCH_WARM_IN_BACKGROUND``, on by default), so the visitor should find it computed;
- "warm": the same request served again from the page cache.

``/exports/deployments.csv`` is timed to its first byte (the whole file takes half a minute).
Run it again with ``CITYWATCH_WARM_IN_BACKGROUND=0`` for the server without the warmer.

Medians of the requests. Also times the public dataset's fingerprint alone, in this
process, and counts its queries.

Printed as Markdown for docs/performance.md. It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import atlas_scale
from django.db import connection
from django.test.utils import CaptureQueriesContext
from side_by_side import fetch, free_port, load, machine, start

from citywatch.core.data_cache import data_changed

PATHS = [
    ("list page filtered by country", "/deployments/?country=FR"),
    ("API page filtered by country", "/api/deployments?country=FR"),
    ("one record page", "/deployments/synthetic-500/"),
    ("whole map's data", "/map/deployments.json"),
    ("unfiltered list page", "/deployments/"),
    ("unfiltered API page", "/api/deployments"),
    ("API record", "/api/deployments/synthetic-500"),
    ("export's first byte", "/exports/deployments.csv"),
]
# Timed to the first byte, not the whole answer.
FIRST_BYTE_ONLY = {"/exports/deployments.csv"}
# Seconds between the edit through the server and the visitor's request.
VISITOR_AFTER = 1.0


def fingerprint_figures(repeat: int) -> tuple[float, int]:
    """(median seconds, queries) of the public dataset's fingerprint computed afresh."""
    from citywatch.exchange.queries import fingerprint, public_querysets

    times = []
    queries = 0
    for _ in range(repeat):
        data_changed()  # the named organisations behind the public sets are computed again
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fingerprint(public_querysets())
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries


def private_edit() -> None:
    """Save a private deployment (committed: the server sees the new generation)."""
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.filter(visibility="private").order_by("pk").first()
    deployment.title = deployment.title.removesuffix(" (edited)") + (
        "" if deployment.title.endswith(" (edited)") else " (edited)"
    )
    deployment.save()


def write_token() -> str:
    """A write token of a superuser (made once per run)."""
    from django.contrib.auth import get_user_model

    from citywatch.api.services import create_token

    user, _made = get_user_model().objects.get_or_create(
        username="benchmark-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return create_token(user, "first_request benchmark", "write")[1]


def edit_through_server(base: str, token: str) -> Callable[[], None]:
    """A change: one private deployment's title changed through the server's API (committed
    by the server process), then ``VISITOR_AFTER`` seconds before the visitor's request."""
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.filter(visibility="private").order_by("pk").first()
    titles = [deployment.title + " (edited)", deployment.title]
    turn = [0]

    def change() -> None:
        title = titles[turn[0] % 2]
        turn[0] += 1
        slug = Deployment.objects.values_list("slug", flat=True).get(pk=deployment.pk)
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{base}/api/deployments/{slug}",
            data=json.dumps({"title": title}).encode(),
            method="PATCH",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            assert response.status == 200, response.status
        time.sleep(VISITOR_AFTER)

    return change


def timed_after(url: str, change: Callable[[], None], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        change()
        times.append(first_byte(url) if url.endswith(tuple(FIRST_BYTE_ONLY)) else fetch(url)[1])
    return times


def first_byte(url: str) -> float:
    """Seconds to the first byte of a GET (the rest is not read: the connection is closed)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 - loopback only
        response.read(1)
        return time.perf_counter() - started


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms (max {max(times) * 1000:.0f})"


def first_requests(base: str, repeat: int) -> list[str]:
    lines = [
        "| request | after any change | after a private edit | after a private edit in the "
        "server, 1 s before | warm (page cache) | load |",
        "|---|---:|---:|---:|---:|---|",
    ]
    through_server = edit_through_server(base, write_token())
    for what, path in PATHS:
        url = base + path
        fetch(url)
        cold = timed_after(url, data_changed, repeat)
        private = timed_after(url, private_edit, repeat)
        in_server = timed_after(url, through_server, repeat)
        warm = timed_after(url, lambda: None, repeat)
        lines.append(
            f"| {what}: `{path}` | {median_ms(cold)} | {median_ms(private)} | "
            f"{median_ms(in_server)} | {statistics.median(warm) * 1000:.1f} ms | {load()} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    atlas_scale.prepare(args.count)
    port = free_port()
    server = start([sys.executable, "-m", "citywatch", "serve", "--port", str(port)], port)
    try:
        lines = first_requests(f"http://127.0.0.1:{port}", args.repeat)
    finally:
        server.terminate()
        server.wait(timeout=30)
    seconds, queries = fingerprint_figures(args.repeat)
    report = [
        *machine(),
        f"- load average before: {os.getloadavg()[0]:.2f}",
        "",
        *lines,
        "",
        f"Public dataset fingerprint alone (`exchange.queries.fingerprint`, computed afresh): "
        f"{seconds * 1000:.0f} ms, {queries} queries.",
        f"\nLoad average at the end: {load()}",
    ]
    print("\n".join(report))


if __name__ == "__main__":
    main()
