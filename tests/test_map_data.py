"""The map's compact, cacheable data endpoints."""

import json
import re

import pytest

from citywatch.atlas.models import Deployment

pytestmark = pytest.mark.django_db


def test_rows_are_compact_and_complete(client, demo):
    response = client.get("/map/deployments.json")
    assert response.status_code == 200
    data = response.json()
    assert data["fields"] == ["slug", "lat", "lon", "status", "nationwide"]
    assert len(data["rows"]) == 8
    naypyidaw = Deployment.objects.get(slug="naypyidaw-safe-city")
    row = next(r for r in data["rows"] if r[0] == naypyidaw.slug)
    assert row[1:3] == [19.745, 96.1297]
    assert data["statuses"][row[3]] == "operational"
    assert len(response.content) < 90 * len(data["rows"]) + 300


def test_rows_follow_the_filters(client, demo):
    data = client.get("/map/deployments.json?technology=facial-recognition").json()
    assert len(data["rows"]) == 4


def test_country_wide_deployment_sits_at_the_capital(client, demo):
    deployment = Deployment.objects.get(slug="kampala-highway-cctv")
    deployment.locality = None
    deployment.save()
    data = client.get("/map/deployments.json").json()
    row = next(r for r in data["rows"] if r[0] == deployment.slug)
    assert row[4] == 1
    assert row[1:3] == [0.3163, 32.5822]  # Kampala, Uganda's capital


def test_private_and_embargoed_records_are_not_on_the_map(client, demo):
    hidden = Deployment.objects.get(slug="belgrade-safe-city")
    hidden.visibility = "private"
    hidden.save()
    data = client.get("/map/deployments.json").json()
    assert hidden.slug not in [row[0] for row in data["rows"]]
    assert client.get(f"/map/deployments/{hidden.slug}.json").status_code == 404
    counts = client.get("/map/countries.json").json()
    assert "688" not in counts["byNumeric"]  # Serbia


def test_country_counts_use_natural_earth_keys_and_kosovo_by_name(client, demo):
    from citywatch.places.models import Country, Locality

    pristina = Locality.objects.create(
        name="Pristina", country=Country.objects.get(code="XK"), latitude=42.67, longitude=21.17
    )
    Deployment.objects.create(
        title="Test deal in Pristina",
        slug="test-pristina",
        country_id="XK",
        locality=pristina,
        status="announced",
        certainty="speculative",
    )
    counts = client.get("/map/countries.json").json()
    assert counts["byNumeric"]["104"] == 3  # Myanmar
    assert counts["byName"] == {"Kosovo": 1}


def test_etag_lets_clients_revalidate(client, demo):
    first = client.get("/map/deployments.json")
    etag = first.headers["ETag"]
    assert "max-age=300" in first.headers["Cache-Control"]
    assert client.get("/map/deployments.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Saved unchanged: the rows are the same, so is their ETag (drawn from the content).
    Deployment.objects.filter(slug="belgrade-safe-city").first().save()
    assert client.get("/map/deployments.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.status = "suspended"
    belgrade.save()
    assert client.get("/map/deployments.json", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_popup_is_small_and_escaped_as_json(client, demo):
    naypyidaw = Deployment.objects.get(slug="naypyidaw-safe-city")
    data = json.loads(client.get(f"/map/deployments/{naypyidaw.slug}.json").content)
    assert data["vendors"] == ["Huawei"]
    assert data["technologies"] == ["CCTV", "Video analytics / AI"]
    assert data["url"] == "/deployments/naypyidaw-safe-city/"


def test_map_rows_are_compressed_for_clients_that_accept_it(client, demo):
    response = client.get("/map/deployments.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response.headers["Content-Encoding"] == "gzip"


def test_map_never_shows_database_ids(client, demo):
    """Ids are sequential over hidden records too: their gaps would count hidden deals and date
    their creation. The map names deployments by slug, and its popup is found by slug only."""
    hidden = Deployment.objects.get(slug="belgrade-safe-city")
    hidden.visibility = "private"
    hidden.save()
    rows = client.get("/map/deployments.json").json()["rows"]
    public = Deployment.objects.exclude(pk=hidden.pk).filter(visibility="public")
    assert sorted(row[0] for row in rows) == sorted(d.slug for d in public if d.locality_id)
    assert all(isinstance(row[0], str) for row in rows)
    visible = public.first()
    assert client.get(f"/map/deployments/{visible.pk}.json").status_code == 404
    unknown = client.get("/map/deployments/no-such-deal.json")
    hidden_answer = client.get(f"/map/deployments/{hidden.slug}.json")
    assert unknown.status_code == hidden_answer.status_code == 404
    assert same_page(unknown.content, b"no-such-deal", hidden_answer.content, hidden.slug)


def same_page(first: bytes, first_asked: bytes, second: bytes, second_asked: str) -> bool:
    """Whether two pages are alike but for the address asked for (the language form returns
    there) and the CSRF token (masked afresh for each response)."""
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    first = token.sub(b"", first.replace(first_asked, b"X"))
    return first == token.sub(b"", second.replace(second_asked.encode(), b"X"))
