"""`citywatch init`, `demo` and `serve` in a temporary data folder, as a user runs them.

On PostgreSQL (DATABASE_URL set) the commands run against a scratch database created for the
test; on SQLite against a file in a temporary folder.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

CITYWATCH = [sys.executable, "-m", "citywatch"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def scratch_env(tmp_path: Path, django_db_blocker) -> Iterator[dict[str, str]]:
    env = {**os.environ, "CITYWATCH_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    if connection.vendor != "postgresql":
        yield env
        return
    import psycopg

    name = f"citywatch_cli_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    admin = psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"] or ""
    host = settings["HOST"] or ""
    env["DATABASE_URL"] = (
        f"postgres://{user}@/{name}?host={host}"
        if host.startswith("/")
        else (f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{name}")
    )
    try:
        yield env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CITYWATCH, *arguments], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def deployment_count(env: dict[str, str]) -> int:
    result = run(
        env,
        "shell",
        "-c",
        "from citywatch.atlas.models import Deployment; print(Deployment.objects.count())",
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_init_creates_the_data_folder_and_database(scratch_env):
    result = run(scratch_env, "init")
    assert result.returncode == 0, result.stderr
    assert "Database ready" in result.stdout
    data_dir = Path(scratch_env["CITYWATCH_DATA_DIR"])
    assert (data_dir / "secret_key").exists()
    if "DATABASE_URL" not in scratch_env:
        database = sqlite3.connect(data_dir / "citywatch.sqlite3")
        (count,) = database.execute("select count(*) from places_country").fetchone()
        assert count == 250
    assert run(scratch_env, "init").returncode == 0  # safe to re-run


def test_demo_loads_once_and_serves(scratch_env):
    first = run(scratch_env, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    second = run(scratch_env, "load-demo")
    assert "0 records created, 0 updated" in second.stdout
    assert deployment_count(scratch_env) == 8

    port = free_port()
    server = subprocess.Popen(
        [*CITYWATCH, "serve", "--port", str(port)],
        env=scratch_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        html = fetch_when_up(f"http://127.0.0.1:{port}/deployments/")
        for name in [
            "Naypyidaw",
            "Kampala",
            "Belgrade",
            "Rivas-Vaciamadrid",
            "Barcelona",
            "Valenciennes",
        ]:
            assert name in html
        page = fetch_when_up(f"http://127.0.0.1:{port}/deployments/naypyidaw-safe-city/")
        assert "according to Human Rights Watch" in page
        # The stylesheet the page names: collected by `serve` under a hashed name.
        stylesheet = re.search(r'href="(/static/citywatch/css/site\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, html[:2000]
        css = fetch_when_up(f"http://127.0.0.1:{port}{stylesheet[1]}")
        assert "--accent" in css
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_refuses_a_database_that_is_not_set_up(scratch_env):
    result = run(scratch_env, "serve", "--port", str(free_port()))
    assert result.returncode != 0
    assert "citywatch init" in result.stderr


def test_django_commands_pass_through(scratch_env):
    result = run(scratch_env, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def fetch_when_up(url: str, attempts: int = 60) -> str:
    for _attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test server)
                return response.read().decode()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"server did not answer at {url}")
