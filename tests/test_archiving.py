"""Archiving a source's web address: a real local web server, and the addresses refused.

The server listens on 127.0.0.1 only. Loopback is refused like any private address unless
the test setting CITYWATCH_ARCHIVE_ALLOW_LOOPBACK names the server's port. Refused addresses
are refused before any connection is made: no traffic leaves this machine.
"""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from citywatch.evidence import archiving, services
from citywatch.evidence.models import Snapshot, Source, TextStatus

pytestmark = pytest.mark.django_db

PAGE = (
    b"<!DOCTYPE html><html><head><title>Vendor case study</title></head><body>"
    b"<nav>Products | Solutions | Contact</nav><article><h1>Safe City in Belgrade</h1>"
    b"<p>Our company delivered 1,000 HD cameras and an intelligent video platform to the "
    b"city police, covering the busiest streets and squares of the capital.</p>"
    b"<p>The solution integrates facial recognition and licence plate recognition.</p>"
    b"</article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))
        routes = {
            "/case-study": (200, {"Content-Type": "text/html"}, PAGE),
            "/moved": (302, {"Location": "/case-study", "Set-Cookie": "session=abc"}, b""),
            "/big": (200, {"Content-Type": "application/octet-stream"}, b"x" * 5000),
            "/gone": (404, {}, b"not here"),
        }
        if self.path.startswith("/redirect-to/"):
            status, headers, body = 302, {"Location": self.path[len("/redirect-to/") :]}, b""
        elif self.path == "/slow":
            time.sleep(2)
            status, headers, body = 200, {}, b"late"
        else:
            status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def start_server() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = []
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def web():
    server = start_server()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_web():
    server = start_server()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_web(settings, web):
    """Loopback allowed for the test server's port only."""
    settings.CITYWATCH_ARCHIVE_ALLOW_LOOPBACK = {web.server_port}
    return web


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def url(server: ThreadingHTTPServer, path: str, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{server.server_port}{path}"


# ---------------------------------------------------------------- archiving works


def test_archive_now_stores_the_page_its_hash_and_time(allow_web, media, admin_client):
    client = admin_client  # a source nobody cites yet is seen by site administrators
    source = Source.objects.create(title="Case study", kind="vendor", url=url(allow_web, "/moved"))
    before = time.time()
    snapshot = services.archive_source(source)
    stored = snapshot.stored_file
    assert stored.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert stored.size == len(PAGE)
    assert stored.media_type == "text/html"
    assert snapshot.final_url == url(allow_web, "/case-study")
    assert snapshot.http_status == 200
    assert snapshot.retrieved_at.timestamp() >= before - 1

    services.process_pending_files()
    stored.refresh_from_db()
    assert "delivered 1,000 HD cameras" in stored.text
    html = client.get(f"/sources/{source.key}/").content.decode()
    assert stored.sha256 in html
    assert snapshot.get_absolute_url() in html
    copy = client.get(snapshot.get_absolute_url())
    assert b"".join(copy.streaming_content) == PAGE
    assert copy["Content-Disposition"].startswith("attachment")


def test_no_cookies_are_sent_and_the_fetch_says_who_it_is(allow_web, media):
    source = Source.objects.create(title="Case study", kind="vendor", url=url(allow_web, "/moved"))
    services.archive_source(source)
    assert [path for path, _headers in allow_web.requests] == ["/moved", "/case-study"]
    for _path, headers in allow_web.requests:
        assert "Cookie" not in headers
        assert headers["User-Agent"].startswith("CityWatch-Archiver")
        assert headers["Accept-Encoding"] == "identity"


def test_the_same_page_archived_twice_is_stored_once(allow_web, media):
    source = Source.objects.create(title="Page", kind="vendor", url=url(allow_web, "/case-study"))
    first = services.archive_source(source)
    second = services.archive_source(source)
    assert first.pk != second.pk
    assert first.stored_file_id == second.stored_file_id


def test_staff_archive_button(allow_web, media, client, django_user_model):

    from conftest import join_team

    user = django_user_model.objects.create_user("editor", password="x" * 16)
    team = join_team(user, "reviewer", "editors")
    source = Source.objects.create(
        title="Page", kind="vendor", url=url(allow_web, "/case-study"), owner_team=team
    )
    assert client.post(f"/sources/{source.key}/archive/").status_code == 302
    assert not Snapshot.objects.exists()  # anonymous: sent to log in, nothing fetched
    client.force_login(user)
    html = client.get(f"/sources/{source.key}/").content.decode()
    assert f'action="/sources/{source.key}/archive/"' in html
    response = client.post(f"/sources/{source.key}/archive/", follow=True)
    assert Snapshot.objects.filter(source=source).count() == 1
    assert "Archived copy stored" in response.content.decode()


def test_archive_missing_command(allow_web, media, capsys):
    done = Source.objects.create(title="Done", kind="media", url=url(allow_web, "/case-study"))
    services.archive_source(done)
    todo = Source.objects.create(title="To do", kind="media", url=url(allow_web, "/moved"))
    Source.objects.create(title="No address", kind="media")
    call_command("archive", "--missing")
    assert Snapshot.objects.filter(source=todo).count() == 1
    assert Snapshot.objects.filter(source=done).count() == 1
    assert "1 archived, 0 failed." in capsys.readouterr().out


def test_archive_missing_reports_failures(allow_web, media, capsys):
    Source.objects.create(title="Gone", kind="media", url=url(allow_web, "/gone"))
    with pytest.raises(CommandError):
        call_command("archive", "--missing")
    assert "HTTP status 404" in capsys.readouterr().err
    assert not Snapshot.objects.exists()


def test_size_and_time_limits(allow_web, media, settings):
    settings.CITYWATCH_ARCHIVE_MAX_BYTES = 1000
    with pytest.raises(archiving.ArchiveError, match="larger than"):
        archiving.fetch(url(allow_web, "/big"))
    settings.CITYWATCH_ARCHIVE_TIMEOUT = 1
    with pytest.raises(archiving.ArchiveError):
        archiving.fetch(url(allow_web, "/slow"))


def test_connects_to_the_address_it_checked(allow_web, media):
    """The host name is resolved once; the connection goes to that checked address."""
    fetched = archiving.fetch(
        f"http://archive.test:{allow_web.server_port}/case-study",
        resolver=lambda host, port: ["127.0.0.1"],
    )
    assert fetched.body.read() == PAGE
    assert allow_web.requests[-1][1]["Host"] == f"archive.test:{allow_web.server_port}"


def test_extracted_text_of_the_snapshot_is_searchable(allow_web, media, django_user_model):
    from citywatch.research.search import search

    administrator = django_user_model.objects.create_superuser("root", "r@example.org", "x")
    source = Source.objects.create(title="Vendor page", kind="vendor", url=url(allow_web, "/moved"))
    services.archive_source(source)
    services.process_pending_files()
    assert source.snapshots.get().stored_file.text_status == TextStatus.DONE
    # Cited by nothing yet: the public does not find it, site administrators do.
    assert search("licence plate recognition", kinds=["document"]).hits == []
    hits = search("licence plate recognition", kinds=["document"], user=administrator).hits
    assert [hit.title for hit in hits] == ["Vendor page"]


# ---------------------------------------------------------------- refusals


def assert_refused(address: str, server: ThreadingHTTPServer | None = None) -> None:
    with pytest.raises(archiving.RefusedAddress):
        archiving.fetch(address)
    if server is not None:
        assert server.requests == []


def test_loopback_is_refused_without_the_test_setting(web):
    assert_refused(url(web, "/case-study"), web)


def test_ipv6_loopback_is_refused(web):
    assert_refused(f"http://[::1]:{web.server_port}/case-study", web)
    assert_refused(f"http://[::ffff:127.0.0.1]:{web.server_port}/case-study", web)


def test_a_name_resolving_to_loopback_is_refused(web):
    assert_refused(url(web, "/case-study", host="localhost"), web)


@pytest.mark.parametrize(
    "address",
    [
        "http://10.0.0.1/",
        "http://10.255.3.7:8080/admin",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[64:ff9b::a00:1]/",
        "http://2130706433/",
    ],
)
def test_private_link_local_and_metadata_addresses_are_refused(address):
    assert_refused(address)


@pytest.mark.parametrize(
    "address",
    ["file:///etc/passwd", "ftp://example.org/file", "gopher://x/", "http://user:pw@example.org/"],
)
def test_other_schemes_and_credentials_are_refused(address):
    assert_refused(address)


def test_a_redirect_to_loopback_is_refused(allow_web, other_web, media):
    """The first server is allowed; it redirects to another loopback port, which is not."""
    target = url(other_web, "/case-study")
    source = Source.objects.create(
        title="Redirects", kind="media", url=url(allow_web, f"/redirect-to/{target}")
    )
    with pytest.raises(archiving.RefusedAddress):
        services.archive_source(source)
    assert [path for path, _headers in allow_web.requests] == [f"/redirect-to/{target}"]
    assert other_web.requests == []
    assert not Snapshot.objects.exists()


def test_a_redirect_to_a_private_address_is_refused(allow_web):
    with pytest.raises(archiving.RefusedAddress):
        archiving.fetch(url(allow_web, "/redirect-to/http://169.254.169.254/latest/"))


def test_a_name_with_any_private_address_is_refused():
    """A host resolving to a public and a private address (DNS tricks) is refused."""
    with pytest.raises(archiving.RefusedAddress):
        archiving.fetch(
            "http://mixed.test/", resolver=lambda host, port: ["93.184.215.14", "10.0.0.5"]
        )
