"""Issue 13: pages that cost the same number of queries whatever the number of deployments,
caches that never show one visibility scope another's view, and static files served hashed
and compressed. (Timings are measured by benchmarks/, never asserted here.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party, Technology
from citywatch.core.data_cache import data_changed
from citywatch.places.models import Locality

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/deployments/",
    "/deployments/?country=RS",
    "/deployments/?vendor=huawei&technology=facial-recognition&sort=-year",
    "/deployments/belgrade-safe-city/",
    "/api/deployments?country=RS",
    "/api/deployments/belgrade-safe-city",
    "/map/deployments.json",
    "/map/countries.json?vendor=huawei",
]


def add_deployments(count: int) -> None:
    """``count`` more deployments in Serbia, each with a vendor and a component, saved one by
    one as the forms save them."""
    belgrade = Locality.objects.get(name="Belgrade")
    huawei = Organisation.objects.get(slug="huawei")
    cctv = Technology.objects.get(slug="cctv")
    start = Deployment.objects.count()
    for number in range(start, start + count):
        deployment = Deployment.objects.create(
            title=f"Extra deal {number}",
            slug=f"extra-{number}",
            country_id="RS",
            locality=belgrade,
            status="announced",
            certainty="reported",
        )
        Party.objects.create(deployment=deployment, organisation=huawei, role="supplier")
        Component.objects.create(
            deployment=deployment, technology=cctv, quantity=10, unit="cameras"
        )


def queries_for(client: Client, url: str) -> int:
    """Queries made to answer ``url``, a streamed answer read to its end."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_the_number_of_deployments(client, demo, settings, url):
    """Computed afresh (no page cache): the same queries for 8 deployments as for 20."""
    settings.CITYWATCH_PAGE_CACHE = False
    client.get(url)  # content types, the API's stable ids of new records: written once
    few = queries_for(client, url)
    add_deployments(12)
    client.get(url)
    many = queries_for(client, url)
    assert few == many, (url, few, many)
    # The API's ETag and Last-Modified read one fingerprint of every public table (two
    # queries per table, tests/test_fingerprint.py).
    assert few <= (70 if url.startswith("/api/") else 30), (url, few)


@pytest.mark.parametrize(
    "url",
    [
        "/exports/deployments.csv",
        "/exports/sources.csv",
        "/exports/deployments.geojson",
        "/exports/citywatch.json",
    ],
)
def test_export_queries_do_not_grow_with_the_number_of_deployments(client, demo, url):
    """Read to the end (a streamed export makes nothing before it is read); the first read
    mints the stable ids of new records, the second is measured."""
    queries_for(client, url)
    few = queries_for(client, url)
    add_deployments(12)
    queries_for(client, url)
    assert queries_for(client, url) == few, url


@pytest.mark.parametrize("url", URLS)
def test_a_cached_page_costs_one_query(client, demo, url):
    """Served again while nothing changed: only the data generation is read."""
    client.get(url)
    assert queries_for(client, url) == 1


def test_a_change_is_seen_at_once(client, demo):
    assert "Extra deal" not in client.get("/deployments/?country=RS").content.decode()
    add_deployments(1)
    assert "Extra deal" in client.get("/deployments/?country=RS").content.decode()
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.title = "Belgrade, renamed"
    belgrade.save()
    assert "Belgrade, renamed" in client.get("/deployments/belgrade-safe-city/").content.decode()
    rows = client.get("/map/deployments.json").json()["rows"]
    assert len(rows) == Deployment.objects.count()


def test_writes_without_save_announce_themselves(client, demo):
    """QuerySet.update() sends no signal: such code calls data_changed()."""
    assert "Belgrade" in client.get("/deployments/").content.decode()
    Deployment.objects.filter(slug="belgrade-safe-city").update(visibility="private")
    data_changed()
    assert "Belgrade" not in client.get("/deployments/").content.decode()


def test_cached_pages_never_cross_visibility_scopes(client, demo, make_member, teams):
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.visibility = "private"
    belgrade.owner_team = teams["A"]
    belgrade.save()
    visitors = {"anonymous": client}
    for role, team in (("viewer", "A"), ("viewer", "B")):
        visitor = Client()
        visitor.force_login(make_member(role, team))
        visitors[f"{role}-{team}"] = visitor
    # Each asks twice (the second answer comes from the cache), in turns.
    counts: dict[str, int] = {}
    for _round in range(2):
        for name, visitor in visitors.items():
            sees = name == "viewer-A"
            page = visitor.get("/deployments/").content.decode()
            assert ("Belgrade" in page) is sees, name
            record = visitor.get("/deployments/belgrade-safe-city/")
            assert record.status_code == (200 if sees else 404), name
            rows = visitor.get("/map/deployments.json").json()["rows"]
            assert (belgrade.slug in [row[0] for row in rows]) is sees, name
            home = visitor.get("/?country=RS").content.decode()
            counts[name] = int(re.search(r'id="map-count"[^>]*>\s*(\d+)', home)[1])
    assert counts["viewer-A"] == counts["anonymous"] + 1 == counts["viewer-B"] + 1


def test_cached_fragments_hold_no_csrf_token(demo):
    """The language form's CSRF token is each visitor's own, cached page or not."""
    tokens = []
    for _visitor in range(2):
        html = Client().get("/deployments/").content.decode()
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(found) == 1
        tokens.append(found[0])
    assert tokens[0] != tokens[1]


def test_a_private_change_moves_no_caching_header(client, demo, teams):
    """ETags stay drawn from what the visitor may see: editing a private record (which
    replaces the data generation) changes neither the map's nor the API's."""
    secret = Deployment.objects.get(slug="kampala-highway-cctv")
    secret.visibility = "private"
    secret.owner_team = teams["A"]
    secret.save()
    before = {
        url: client.get(url).headers["ETag"]
        for url in ("/map/deployments.json", "/map/countries.json", "/api/deployments")
    }
    last_modified = client.get("/api/deployments").headers["Last-Modified"]
    secret.status = "cancelled"
    secret.title = "Renamed in private"
    secret.save()
    for url, etag in before.items():
        assert client.get(url).headers["ETag"] == etag, url
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    assert client.get("/api/deployments").headers["Last-Modified"] == last_modified


def test_an_embargo_ends_at_midnight_without_a_write(client, demo, monkeypatch):
    """Cached reads are kept per day: a record whose embargo ends tomorrow appears tomorrow."""
    from django.utils import timezone

    today = timezone.localdate()
    Deployment.objects.filter(slug="belgrade-safe-city").update(
        embargo_until=today + dt.timedelta(days=1)
    )
    data_changed()
    assert "Belgrade" not in client.get("/deployments/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    assert "Belgrade" in client.get("/deployments/").content.decode()


def test_html_is_gzip_compressed(client, demo):
    response = client.get("/deployments/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_static_files_are_hashed_compressed_and_kept_for_a_year(demo, settings, tmp_path):
    """What `citywatch init` collects: names with a hash of the content, Brotli and gzip
    copies, served with a year-long (immutable) cache; plain names are not kept."""
    settings.STATIC_ROOT = tmp_path / "static"
    # Django keeps the storage built for the old STATIC_ROOT until STORAGES changes: without
    # this, collectstatic writes into the suite's data folder and every later page of this
    # process names hashed files the finders cannot serve.
    settings.STORAGES = {**settings.STORAGES}
    settings.WHITENOISE_USE_FINDERS = False
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "ninja", "*.map", "world-atlas-*"],
    )
    client = Client()  # a new handler: WhiteNoise reads the collected files
    html = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/citywatch/css/site\.[0-9a-f]{12}\.css)"', html)
    script = re.search(r'src="(/static/vendor/leaflet-1\.9\.4/leaflet\.[0-9a-f]{12}\.js)"', html)
    assert stylesheet and script, html[:2000]
    for url in (stylesheet[1], script[1]):
        for accepted, encoding in (("br, gzip", "br"), ("gzip", "gzip")):
            response = client.get(url, HTTP_ACCEPT_ENCODING=accepted)
            assert response.status_code == 200
            assert response.headers["Content-Encoding"] == encoding
            cache_control = response.headers["Cache-Control"]
            max_age = int(re.search(r"max-age=(\d+)", cache_control)[1])
            assert max_age >= 365 * 24 * 3600 and "immutable" in cache_control
            b"".join(response.streaming_content)
            response.close()
    assert client.get("/static/citywatch/css/site.css").status_code == 404
