"""`citywatch serve` for real: a waitress server started by the test on a free loopback port,
spoken to over real HTTP.

Behind a TLS proxy (issue 10): waitress honours X-Forwarded-Proto/-For/-Host only from the
configured trusted proxy, so production mode answers instead of redirecting forever, and a
visitor reaching the port directly cannot pretend to have come over HTTPS.

No address stored: after sign-ins, failed sign-ins (up to the rate limit), a password reset
and a tip, sent with a distinctive client address and browser string, neither is in the
database's bytes: SQLite's main file and its write-ahead log, or every row of every table of a
PostgreSQL database.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CLIENT_ADDRESS = "203.0.113.77"
OTHER_ADDRESS = "203.0.113.78"
USER_AGENT = "Marker-Browser/7.7 (CityWatch test)"
HOST = "citywatch.example.org"
PASSWORD = "a long test passphrase"
THROTTLED = "Too many failed login attempts"


# ---------------------------------------------------------------- a database of its own


def postgres_database(url: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the server DATABASE_URL points at, dropped afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"citywatch_serve_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The environment of a CityWatch with its own data folder and database, set up."""
    data = tmp_path_factory.mktemp("served") / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CITYWATCH_", "DJANGO_", "PYTEST"))
    }
    env.update(
        CITYWATCH_DATA_DIR=str(data),
        CITYWATCH_SECRET_KEY="served-" + secrets.token_hex(24),
        CITYWATCH_ALLOWED_HOSTS=HOST,
        CITYWATCH_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    url = os.environ.get("DATABASE_URL", "")
    databases = postgres_database(url) if url.startswith("postgres") else iter([""])
    env["DATABASE_URL"] = next(databases)
    if not env["DATABASE_URL"]:
        del env["DATABASE_URL"]
    citywatch(env, "init")
    citywatch(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from allauth.account.models import EmailAddress; "
        f"u = get_user_model().objects.create_user('ana', 'ana@example.org', '{PASSWORD}'); "
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
    )
    yield env
    for _rest in databases:  # drops the PostgreSQL database
        pass


def citywatch(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "citywatch", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(env: dict[str, str], **settings: str) -> Iterator[tuple[int, list[str]]]:
    """`citywatch serve` on a free loopback port; yields the port and, at the end, its output."""
    port = free_port()
    output: list[str] = []
    process = subprocess.Popen(
        [sys.executable, "-m", "citywatch", "serve", "--port", str(port)],
        env={**env, **settings},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield port, output
    finally:
        process.terminate()
        output.append(process.communicate(timeout=30)[0])


class Browser:
    """Real HTTP requests with cookies, from a chosen loopback address."""

    def __init__(self, port: int, source: str = "127.0.0.1", **headers: str) -> None:
        self.port = port
        self.source = source
        self.headers = {"Host": HOST, "User-Agent": USER_AGENT, **headers}
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "https" in headers.get("X-Forwarded-Proto", ""):
                headers["Referer"] = f"https://{HOST}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]):
        self.get(path)  # the CSRF cookie
        return self.request("POST", path, form)


# ---------------------------------------------------------------- behind a proxy


PRODUCTION = {"CITYWATCH_PRODUCTION": "1", "CITYWATCH_BEHIND_PROXY": "1"}


def test_production_behind_a_trusted_proxy_answers_instead_of_redirecting(site):
    with served(site, **PRODUCTION, CITYWATCH_TRUSTED_PROXY="127.0.0.1") as (port, output):
        proxy = Browser(port, "127.0.0.1", **{"X-Forwarded-Proto": "https"})
        status, headers, _page = proxy.get("/")
        assert status == 200
        assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        # The proxy's forwarded host and client address are taken too.
        forwarded = Browser(
            port,
            "127.0.0.1",
            **{"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS},
        )
        assert forwarded.get("/deployments/")[0] == 200
        # A plain-HTTP request through the proxy is sent to HTTPS, once.
        status, headers, _page = Browser(port, "127.0.0.1").get("/")
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
        # Anyone else reaching the port directly cannot pretend to have come over HTTPS.
        direct = Browser(port, "127.0.0.2", **{"X-Forwarded-Proto": "https"})
        status, headers, _page = direct.get("/")
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
    assert CLIENT_ADDRESS not in "".join(output)
    assert "Trusting X-Forwarded-Proto" in "".join(output)


def test_without_a_trusted_proxy_the_forwarded_scheme_is_ignored(site):
    """The fault as reported: nothing but redirects, whatever the proxy says."""
    with served(site, **PRODUCTION) as (port, _output):
        proxy = Browser(port, "127.0.0.1", **{"X-Forwarded-Proto": "https"})
        status, headers, _page = proxy.get("/")
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
    warnings = subprocess.run(
        [sys.executable, "-m", "citywatch", "check"],
        env={**site, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "citywatch.W002" in warnings.stdout + warnings.stderr


# ---------------------------------------------------------------- no address stored


def database_bytes(env: dict[str, str]) -> bytes:
    """Everything the database holds, as bytes: SQLite's files (the write-ahead log
    included), or every row of every table of the PostgreSQL database, as text."""
    if "DATABASE_URL" not in env:
        folder = Path(env["CITYWATCH_DATA_DIR"])
        files = sorted(folder.glob("citywatch.sqlite3*"))
        assert any(f.name.endswith("-wal") for f in files), files  # WAL mode: fresh rows there
        return b"".join(path.read_bytes() for path in files)
    import psycopg

    dump = []
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        tables = connection.execute(
            "SELECT quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).fetchall()
        assert any("citywatch_cache" in table for (table,) in tables)
        for (table,) in tables:
            rows = connection.execute(f"SELECT t::text FROM {table} t").fetchall()  # noqa: S608
            dump += [row[0].encode() for row in rows]
    return b"\n".join(dump)


def test_sign_ins_a_password_reset_and_a_tip_leave_no_address_or_browser(site):
    settings = {"CITYWATCH_TRUSTED_PROXY": "127.0.0.1"}
    with served(site, **settings) as (port, output):
        visitor = Browser(port, **{"X-Forwarded-For": CLIENT_ADDRESS})
        # Failed sign-ins from one address, each with another e-mail address: the per-address
        # limit (allauth's 10 a minute) refuses the next one.
        pages = [
            visitor.post(
                "/accounts/login/", {"login": f"nobody{n}@example.org", "password": "wrong"}
            )[2]
            for n in range(11)
        ]
        assert THROTTLED not in pages[0]
        assert THROTTLED in pages[-1]
        # From another address, the right password signs in.
        ana = Browser(port, **{"X-Forwarded-For": OTHER_ADDRESS})
        status, _headers, _page = ana.post(
            "/accounts/login/", {"login": "ana@example.org", "password": PASSWORD}
        )
        assert status == 302, _page[:500]
        assert ana.get("/account/")[0] == 200
        # Failed sign-ins for one account: the per-account limit (5 in 5 minutes).
        pages = [
            visitor.post("/accounts/login/", {"login": "ana@example.org", "password": "nope"})[2]
            for _attempt in range(6)
        ]
        assert THROTTLED in pages[-1]
        status, _headers, _page = visitor.post(
            "/accounts/password/reset/", {"email": "ana@example.org"}
        )
        assert status == 302
        status, _headers, _page = visitor.post(
            "/tips/new/", {"what": "Cameras at the station", "place": "Subotica"}
        )
        assert status == 302
        stored = database_bytes(site)
    # The control: the rate limits did write to the database cache.
    assert b"rl:" in stored
    for needle in [CLIENT_ADDRESS, OTHER_ADDRESS, USER_AGENT, "Marker-Browser"]:
        assert needle.encode() not in stored, needle
        assert needle not in "".join(output), needle
    # Nothing else in the data folder names them either (stored files, static files...).
    for path in Path(site["CITYWATCH_DATA_DIR"]).rglob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            content = path.read_bytes()
            assert CLIENT_ADDRESS.encode() not in content, path
            assert b"Marker-Browser" not in content, path


def test_the_rate_limit_keys_change_every_day():
    import datetime as dt

    from citywatch.core import privacy

    today, tomorrow = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    key = privacy.client_key(CLIENT_ADDRESS, today)
    assert key == privacy.client_key(CLIENT_ADDRESS, today)
    assert key != privacy.client_key(CLIENT_ADDRESS, tomorrow)
    assert CLIENT_ADDRESS not in key and re.fullmatch(r"client-[0-9a-f]{32}", key)
    # One IPv6 network (a household's /64) is one client, as allauth counts it.
    assert privacy.client_key("2001:db8:1:2::5", today) == privacy.client_key(
        "2001:db8:1:2:ffff::9", today
    )


# ---------------------------------------------------------------- after a change


def public_version_known(env: dict[str, str]) -> bool:
    """Whether the public dataset's version of the current data is in the database's cache
    table (``data_cache.peek_shared``), asked by another process (nothing is computed)."""
    answer = citywatch(
        env,
        "shell",
        "-c",
        "from citywatch.core import data_cache; from citywatch.exchange import queries; "
        "print('version:', data_cache.peek_shared(queries.PUBLIC_FINGERPRINT) is not None)",
    )
    return "version: True" in answer


@pytest.mark.parametrize("warm", ["1", "0"])
def test_a_server_computes_the_public_version_again_after_a_change_it_commits(site, warm):
    """After a commit (a tip sent), the server computes the public dataset's version in the
    background, so the next visitor's API page or export does not wait for it; with
    CITYWATCH_WARM_IN_BACKGROUND=0 (the control) nothing computes it until someone asks."""
    with served(site, CITYWATCH_WARM_IN_BACKGROUND=warm) as (port, output):
        visitor = Browser(port)
        status, _headers, _page = visitor.post(
            "/tips/new/", {"what": f"Cameras at the market ({warm})", "place": "Niš"}
        )
        assert status == 302
        deadline = time.monotonic() + (60 if warm == "1" else 3)
        known = public_version_known(site)
        while not known and time.monotonic() < deadline:
            time.sleep(0.5)
            known = public_version_known(site)
        assert known is (warm == "1")
        # Then the API answers with the same ETag the version gives.
        status, headers, _page = visitor.get("/api/deployments")
        assert status == 200
        assert "etag" in {name.lower() for name in headers}
    assert "Traceback" not in "".join(output)
