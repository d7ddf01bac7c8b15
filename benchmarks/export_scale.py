"""Every export at scale: time to the first byte, total time, size and peak memory.

    CITYWATCH_DATA_DIR=/tmp/cw-bench python benchmarks/export_scale.py --count 100000

Fills (or reuses) the database with ``benchmarks/atlas_scale.py`` and mints the stable ids of
every public record first (a one-off on a new database, not what an export costs). Then, for
each export file, starts a fresh production server (``citywatch serve``: waitress) on a
loopback port, downloads the file twice (the first request of a new server also computes the
public dataset's fingerprint for ETag and Last-Modified, kept until the data changes: its first
byte is shown in brackets) and reads the server process's peak resident memory (VmHWM); and
runs ``citywatch export`` for the same file in a fresh process, with its time and peak memory
(GNU ``time``). A fresh process per file, so each peak is that file's.

Printed as Markdown for docs/performance.md ("Exports"). It is a benchmark, not a test:
numbers depend on the machine and on what else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import atlas_scale  # noqa: I001 - sets up Django
from side_by_side import fetch, free_port, load, machine, peak_memory_mb, start
from django.db import connection

from citywatch.atlas.models import Deployment
from citywatch.exchange import exports, records

SERVE = [sys.executable, "-m", "citywatch", "serve", "--threads", "4"]
EXPORT = [sys.executable, "-m", "citywatch", "export"]
TIME = ["/usr/bin/time"]  # GNU time (Debian package "time")


def served(name: str, timeout: float) -> str:
    """One table row: the file downloaded twice from a fresh server. The first request also
    computes the public dataset's fingerprint (ETag, Last-Modified), which the server then
    keeps until the data changes; the second shows what the export itself costs."""
    port = free_port()
    server = start([*SERVE, "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}/exports/{name}"
    try:
        idle = peak_memory_mb(server.pid)
        cold, _total, _body = fetch(url, False, timeout)
        first, total, body = fetch(url, False, timeout)
        peak = peak_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return (
        f"| `{name}` | web | {first:.2f} s ({cold:.2f} s) | {total:.1f} s "
        f"| {len(body) / 1e6:.1f} MB | {peak:.0f} MB ({idle:.0f} MB idle) |"
    )


def commanded(name: str, folder: Path) -> str:
    """One table row: the file written by ``citywatch export`` in a fresh process, its peak
    memory measured by GNU time (``wait4`` in this process would also count the memory a
    child inherits from it when forked)."""
    format_name = next((k for k, v in exports.FORMATS.items() if v == name), None)
    format_name = format_name or name.removesuffix(".csv")
    target, measured = folder / name, folder / "time.txt"
    started = time.perf_counter()
    done = subprocess.run(
        [
            *TIME,
            "-o",
            str(measured),
            "-f",
            "%M",
            *EXPORT,
            "--format",
            format_name,
            "--output",
            str(target),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    total = time.perf_counter() - started
    if done.returncode:
        return f"| `{name}` | command | | failed ({done.returncode}) | | |"
    size = target.stat().st_size
    target.unlink()
    peak_kb = int(measured.read_text().split()[-1])
    return (
        f"| `{name}` | command | | {total:.1f} s | {size / 1e6:.1f} MB | {peak_kb / 1024:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--exports", nargs="*", default=exports.FILENAMES)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-command", action="store_true", help="skip `citywatch export`")
    parser.add_argument("--no-web", action="store_true", help="skip the web downloads")
    parser.add_argument("--output", help="also write the report to this file")
    args = parser.parse_args()

    atlas_scale.prepare(args.count)
    started = time.perf_counter()
    records.ensure_stable_ids(records.public_sets())
    minted = time.perf_counter() - started
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    report = [
        f"### Exports of {Deployment.objects.count():,} deployments, {connection.vendor}",
        "",
        *machine(),
        f"- stable ids checked (and minted where missing) first: {minted:.1f} s",
        f"- load average at the start: {load()}",
        "",
        "| export | from | first byte (first request) | total | size | peak RSS of the process |",
        "|---|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.exports:
            if not args.no_web:
                try:
                    report.append(served(name, args.timeout))
                except Exception as error:  # a timeout is a figure too
                    report.append(f"| `{name}` | web | | > {args.timeout:.0f} s ({error}) | | |")
                print(report[-1], file=sys.stderr, flush=True)
            if not args.no_command:
                report.append(commanded(name, Path(scratch)))
                print(report[-1], file=sys.stderr, flush=True)
    report.append(f"\nLoad average at the end: {load()}")
    text = "\n".join(report) + "\n"
    print(text)
    if args.output:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
