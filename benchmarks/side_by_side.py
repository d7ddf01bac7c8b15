"""CityWatch and Datasette side by side on the same SQLite file of synthetic deployments.

    CITYWATCH_DATA_DIR=/tmp/cw-bench python benchmarks/side_by_side.py --count 100000

Fills (or reuses) the database with ``benchmarks/atlas_scale.py``, then serves it twice on
loopback ports: CityWatch with its production server (``citywatch serve``: waitress, 8
threads) and Datasette 0.65.5 (``datasette serve FILE --setting suggest_facets off``, a
development dependency). ``wrk`` drives each pair of equivalent addresses with 8 connections,
the two servers taking turns (interleaved rounds, order alternating) so both meet the same
load from the rest of the machine; the load average is printed before each run.

Printed (Markdown, for docs/performance.md): requests per second, p50 and p99 latency per
server and pair with the ratio CityWatch / Datasette; CityWatch's p95 with one client, served
from its page cache and computed afresh (a second server with ``CITYWATCH_PAGE_CACHE=0``);
the whole map's data warm, cold (after a change of the data) and the raw query with
``json.dumps`` of the same rows; and the export files' first byte, total time and the
server's peak memory.

With ``DATABASE_URL`` set (PostgreSQL), CityWatch is filled and served from that database
and Datasette from the SQLite file given by ``--datasette-db`` (filled by the same script with
the same seed, so both hold the same rows). It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import atlas_scale
from django.conf import settings
from django.db import connection

from citywatch.atlas.models import Deployment

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status + summary.errors.connect
      + summary.errors.read + summary.errors.timeout))
end
"""
COUNTRY = "FR"
RECORD = "synthetic-500"


@dataclass
class Run:
    requests: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {process.args}") from None
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {process.args}") from None
            time.sleep(0.3)


def start(command: list[str], port: int, **env: str) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, process)
    return process


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def wrk(url: str, seconds: int, connections: int, script: str) -> Run:
    threads = min(2, connections)
    output = subprocess.run(
        [
            *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"),
            *("--timeout", "60s", "-s", script, url),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return Run(
        data["requests"],
        data["seconds"],
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
        data["errors"],
    )


def combined(runs: list[Run]) -> Run:
    """Requests and seconds summed over rounds; latencies: the median round's p50 and p95,
    the worst round's p99."""
    return Run(
        sum(r.requests for r in runs),
        sum(r.seconds for r in runs),
        statistics.median(r.p50 for r in runs),
        statistics.median(r.p95 for r in runs),
        max(r.p99 for r in runs),
        sum(r.errors for r in runs),
    )


def fetch(url: str, gzip_ok: bool = True, timeout: float = 600) -> tuple[float, float, bytes]:
    """(seconds to the first byte, seconds in all, body) of one GET."""
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        first = response.read(1)
        first_byte = time.perf_counter() - started
        body = first + response.read()
    return first_byte, time.perf_counter() - started, body


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> list[str]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    import sqlite3

    import datasette

    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database += " " + cursor.fetchone()[0]
    else:
        database += " " + sqlite3.sqlite_version
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    ).stdout.strip()
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores (shared with other work), "
        f"{int(memory) // 1024 // 1024} GB RAM, {platform.platform()}",
        f"- Python {platform.python_version()}, CityWatch {commit or '?'} on {database}, "
        f"Datasette {datasette.__version__} on SQLite {sqlite3.sqlite_version}",
        f"- run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]


def pairs(record_pk: int) -> list[tuple[str, str, str]]:
    """(what, CityWatch address, Datasette address) with the same rows asked for. Datasette
    reads the table itself: ``visibility=public`` stands in for CityWatch's visibility rule
    (embargoed rows aside); it shows two facets, as in the issue, CityWatch five."""
    table = "/citywatch/atlas_deployment"
    facets = "_facet=status&_facet=certainty"
    return [
        (
            f"list page filtered by country ({COUNTRY}), with facets",
            f"/deployments/?country={COUNTRY}",
            f"{table}?country_id={COUNTRY}&visibility=public&{facets}&_size=50",
        ),
        (
            f"JSON API page filtered by country ({COUNTRY})",
            f"/api/deployments?country={COUNTRY}",
            f"{table}.json?country_id={COUNTRY}&visibility=public&_size=50",
        ),
        ("one record page", f"/deployments/{RECORD}/", f"{table}/{record_pk}"),
        (
            "unfiltered list page, with facets",
            "/deployments/",
            f"{table}?visibility=public&{facets}&_size=50",
        ),
    ]


def map_figures(base: str, repeat: int = 5) -> dict[str, float]:
    """The whole map's data: warm (served from the page cache), cold (the data generation
    replaced before each request, as after any edit) and the raw query + ``json.dumps``."""
    from citywatch.atlas.map_data import map_rows
    from citywatch.atlas.queries import visible_deployments
    from citywatch.core.data_cache import data_changed

    url = f"{base}/map/deployments.json"
    fetch(url)
    warm = statistics.median(fetch(url)[1] for _ in range(repeat))
    cold_times = []
    for _ in range(3):
        data_changed()
        cold_times.append(fetch(url)[1])
    rows = map_rows(visible_deployments(None))  # also warms this process's connection
    raw_times = []
    for _ in range(3):
        started = time.perf_counter()
        raw_rows = raw_map_rows()
        json.dumps({"rows": raw_rows})
        raw_times.append(time.perf_counter() - started)
    body = gzip.decompress(fetch(url)[2])
    return {
        "rows": len(rows["rows"]),
        "warm": warm,
        "cold": statistics.median(cold_times),
        "raw": statistics.median(raw_times),
        "size": len(body),
        "compressed": len(fetch(url)[2]),
    }


def raw_map_rows() -> list[tuple]:
    """The same rows as the map, by the same SQL, fetched by the database driver alone."""
    from citywatch.atlas.map_data import map_rows_query
    from citywatch.atlas.queries import visible_deployments

    sql, params = map_rows_query(visible_deployments(None)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def export_figures(base: str, pid: int, names: list[str], timeout: float) -> list[str]:
    lines = [
        "| export | first byte | total | size | server peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in names:
        try:
            first, total, body = fetch(f"{base}/exports/{name}", gzip_ok=False, timeout=timeout)
            lines.append(
                f"| `{name}` | {first:.2f} s | {total:.1f} s | {len(body) / 1e6:.1f} MB "
                f"| {peak_memory_mb(pid):.0f} MB |"
            )
        except Exception as error:  # a timeout is a figure too
            lines.append(f"| `{name}` | — | > {timeout:.0f} s ({type(error).__name__}) | | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs per server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--datasette-db", help="SQLite file for Datasette (PostgreSQL runs)")
    parser.add_argument("--exports", nargs="*", default=["sources.csv", "deployments.csv"])
    parser.add_argument("--export-timeout", type=float, default=300)
    parser.add_argument("--output", help="also write the report to this file")
    args = parser.parse_args()

    atlas_scale.prepare(args.count)
    sqlite_file = args.datasette_db or str(settings.DATABASES["default"]["NAME"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # Datasette reads the main file
    record_pk = Deployment.objects.get(slug=RECORD).pk
    in_country = Deployment.objects.filter(country_id=COUNTRY).count()
    total = Deployment.objects.count()

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(WRK_SCRIPT)
    script = script_file.name
    cw_port, ds_port, fresh_port = free_port(), free_port(), free_port()
    citywatch = [sys.executable, "-m", "citywatch", "serve", "--threads", "8"]
    beside = Path(sys.executable).with_name("datasette")
    datasette = str(beside) if beside.exists() else shutil.which("datasette") or "datasette"
    servers: dict[str, subprocess.Popen] = {}

    def stop_servers() -> None:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=30)

    atexit.register(stop_servers)
    servers |= {
        "citywatch": start([*citywatch, "--port", str(cw_port)], cw_port),
        "datasette": start(
            [
                datasette,
                "serve",
                sqlite_file,
                "--setting",
                "suggest_facets",
                "off",
                "-p",
                str(ds_port),
            ],
            ds_port,
        ),
        "uncached": start(
            [*citywatch, "--port", str(fresh_port)], fresh_port, CITYWATCH_PAGE_CACHE="0"
        ),
    }
    cw, ds, fresh = (f"http://127.0.0.1:{port}" for port in (cw_port, ds_port, fresh_port))
    report = [
        f"### {total:,} deployments ({in_country:,} in {COUNTRY}), "
        f"{connection.vendor}, {args.connections} connections",
        "",
        *machine(),
        f"- wrk: {args.rounds} interleaved rounds of {args.seconds} s per server and pair",
        "",
        "| request | CityWatch | Datasette | CityWatch / Datasette | load average |",
        "|---|---|---|---:|---|",
    ]
    single = [
        "",
        "One client (`wrk -c1`), CityWatch's p50 / p95: from the page cache, and computed "
        "afresh (`CITYWATCH_PAGE_CACHE=0`):",
        "",
        "| request | cached p50 | cached p95 | uncached p50 | uncached p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    try:
        for what, cw_path, ds_path in pairs(record_pk):
            for base, path in ((cw, cw_path), (ds, ds_path), (fresh, cw_path)):
                fetch(base + path)  # warm up (and check it answers)
            runs: dict[str, list[Run]] = {"citywatch": [], "datasette": []}
            loads = []
            for number in range(args.rounds):
                order = [(cw, cw_path, "citywatch"), (ds, ds_path, "datasette")]
                for base, path, name in order if number % 2 == 0 else order[::-1]:
                    loads.append(load().split()[0])
                    runs[name].append(wrk(base + path, args.seconds, args.connections, script))
            ours, theirs = combined(runs["citywatch"]), combined(runs["datasette"])
            report.append(
                f"| {what}: `{cw_path}` vs `{ds_path}` "
                f"| {ours.rate:.1f} req/s, p50 {ours.p50:.0f} ms, p99 {ours.p99:.0f} ms "
                f"| {theirs.rate:.1f} req/s, p50 {theirs.p50:.0f} ms, p99 {theirs.p99:.0f} ms "
                f"| **{ours.rate / theirs.rate:.2f}** | {' '.join(loads)} |"
            )
            if ours.errors or theirs.errors:
                report.append(
                    f"| (errors: CityWatch {ours.errors}, Datasette {theirs.errors}) ||||"
                )
            one = wrk(cw + cw_path, args.seconds // 2 or 1, 1, script)
            afresh = wrk(fresh + cw_path, max(args.seconds, 10), 1, script)
            single.append(
                f"| `{cw_path}` | {one.p50:.1f} ms | {one.p95:.1f} ms "
                f"| {afresh.p50:.0f} ms | {afresh.p95:.0f} ms ({afresh.requests} requests) |"
            )
            print(report[-1], file=sys.stderr, flush=True)
        figures = map_figures(cw)
        report += single
        report += [
            "",
            f"Whole map's data (`/map/deployments.json`, {figures['rows']:,} rows, "
            f"{figures['size'] / 1e6:.1f} MB, {figures['compressed'] / 1e6:.2f} MB gzip):",
            "",
            f"- warm (page cache): {figures['warm'] * 1000:.0f} ms",
            f"- cold (after a change of the data): {figures['cold'] * 1000:.0f} ms",
            f"- raw query + `json.dumps` of the same rows: {figures['raw'] * 1000:.0f} ms "
            f"(cold / raw = {figures['cold'] / figures['raw']:.2f})",
            "",
        ]
        if args.exports:
            report += export_figures(
                fresh, servers["uncached"].pid, args.exports, args.export_timeout
            )
        report.append(f"\nLoad average at the end: {load()}")
    finally:
        stop_servers()
        servers.clear()
        os.unlink(script)
    text = "\n".join(report) + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    print(text)
    if args.output:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
