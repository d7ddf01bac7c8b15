"""Who sees what: every public door × every kind of visitor × every visibility state.

Records (all in Serbia, so country pages can be checked too):
- public: Belgrade from the demo data;
- partners, private (owned by team A), embargoed (public, embargo in the future, team A),
  embargo passed (private to team A, but its embargo date has passed: public by itself).
"""

import datetime as dt
import json

import pytest
from django.test import Client

from citywatch.atlas.models import Deployment

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "other_team", "contributor", "reviewer", "admin"]
STATES = ["public", "partners", "private", "embargoed", "embargo_passed"]

EXPECTED = {
    "anonymous": {"public", "embargo_passed"},
    "other_team": {"public", "partners", "embargo_passed"},
    "contributor": set(STATES),
    "reviewer": set(STATES),
    "admin": set(STATES),
}


@pytest.fixture
def records(demo, teams):
    today = dt.date.today()
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")

    def copy(slug: str, **fields) -> Deployment:
        return Deployment.objects.create(
            title=f"Secret deal {slug}",
            slug=slug,
            summary=f"Marker-{slug}",
            country=belgrade.country,
            locality=belgrade.locality,
            status="announced",
            certainty="speculative",
            **fields,
        )

    return {
        "public": belgrade,
        "partners": copy("partners-deal", visibility="partners", owner_team=teams["A"]),
        "private": copy("private-deal", visibility="private", owner_team=teams["A"]),
        "embargoed": copy(
            "embargoed-deal",
            visibility="public",
            owner_team=teams["A"],
            embargo_until=today + dt.timedelta(days=30),
        ),
        "embargo_passed": copy(
            "embargo-passed-deal",
            visibility="private",
            owner_team=teams["A"],
            embargo_until=today - dt.timedelta(days=1),
        ),
    }


@pytest.fixture
def visitor_clients(make_member):
    clients = {"anonymous": Client()}
    users = {
        "other_team": make_member("viewer", "B"),
        "contributor": make_member("contributor", "A"),
        "reviewer": make_member("reviewer", "A"),
        "admin": make_member("admin", "A"),
    }
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def seen_on_pages(client: Client, record: Deployment) -> dict[str, bool]:
    """Whether the record shows through each public door."""
    detail = client.get(f"/deployments/{record.slug}/")
    listing = client.get("/deployments/?country=RS").content.decode()
    country = client.get("/countries/rs/").content.decode()
    vendor_page = client.get("/organisations/ministry-of-interior-serbia/").content.decode()
    map_rows = client.get("/map/deployments.json").json()["rows"]
    popup = client.get(f"/map/deployments/{record.pk}.json")
    history = client.get(f"/deployments/{record.slug}/history/")
    counts = client.get("/map/countries.json").json()["byNumeric"].get("688", 0)
    search = client.get(f"/deployments/?q={record.summary or record.title}").content.decode()
    assert detail.status_code in (200, 404)
    return {
        "detail": detail.status_code == 200,
        "list": record.title in listing,
        "country": record.title in country,
        "map": record.pk in [row[0] for row in map_rows],
        "popup": popup.status_code == 200,
        "history": history.status_code == 200,
        "search": record.title in search,
        "count": counts,
        "vendor_page_unrelated": record.title not in vendor_page
        or record.slug == "belgrade-safe-city",
    }


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_sees_exactly_what_they_may(records, visitor_clients, visitor):
    client = visitor_clients[visitor]
    for state, record in records.items():
        seen = seen_on_pages(client, record)
        expected = state in EXPECTED[visitor]
        for door in ["detail", "list", "country", "map", "popup", "history", "search"]:
            assert seen[door] is expected, f"{visitor} / {state} / {door}"
        assert seen["vendor_page_unrelated"]
    # counts agree with what is visible: Serbia's count on the map
    count = visitor_clients[visitor].get("/map/countries.json").json()["byNumeric"]["688"]
    assert count == len(EXPECTED[visitor])


def test_guessing_ids_and_slugs_reveals_nothing(records, visitor_clients):
    client = visitor_clients["other_team"]
    private = records["private"]
    assert client.get(f"/deployments/{private.slug}/").status_code == 404
    assert client.get(f"/map/deployments/{private.pk}.json").status_code == 404
    assert client.get(f"/deployments/{private.slug}/history/").status_code == 404
    assert client.get(f"/deployments/{private.slug}/propose/").status_code == 404
    response = client.post(f"/deployments/{private.slug}/propose/", {"title": "Taken over"})
    assert response.status_code == 404
    private.refresh_from_db()
    assert private.title == "Secret deal private-deal"


def test_member_map_data_is_not_publicly_cacheable(records, visitor_clients):
    member = visitor_clients["contributor"].get("/map/deployments.json")
    assert "private" in member.headers["Cache-Control"]
    anonymous = visitor_clients["anonymous"].get("/map/deployments.json")
    assert "public" in anonymous.headers["Cache-Control"]
    assert "Cookie" in anonymous.headers["Vary"]
    assert anonymous.headers["ETag"] != member.headers["ETag"]


def test_sources_and_quotes_of_hidden_facts_do_not_leak(records, visitor_clients):
    from citywatch.evidence.models import Citation, Source

    private = records["private"]
    shared = Source.objects.get(title__startswith="Mapping Huawei")
    only_private = Source.objects.create(title="Leaked contract draft", kind="leak")
    for source, quote in [(shared, "Quote-of-a-private-fact"), (only_private, "Contract-quote")]:
        Citation.objects.create(source=source, target=private, quote=quote)

    anonymous = visitor_clients["anonymous"]
    page = anonymous.get(f"/sources/{shared.pk}/").content.decode()
    assert "Quote-of-a-private-fact" not in page
    assert "Secret deal" not in page
    assert anonymous.get(f"/sources/{only_private.pk}/").status_code == 404
    assert anonymous.get(f"/sources/{only_private.pk}/text/").status_code == 404
    assert (
        "Leaked contract draft" not in anonymous.get("/search/?q=leaked+contract").content.decode()
    )

    member = visitor_clients["contributor"]
    assert member.get(f"/sources/{only_private.pk}/").status_code == 200
    assert "Secret deal private-deal" in member.get(f"/sources/{shared.pk}/").content.decode()

    from citywatch.atlas.queries import visible_citations

    assert not visible_citations(Citation.objects.filter(quote="Contract-quote"), None).exists()
    assert visible_citations(Citation.objects.filter(quote="Contract-quote"), member_user(member))


def member_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


# The API, the exports and the feeds publish the public dataset: the same for every visitor,
# whatever team they belong to (members use the pages to see their team's records).
PUBLISHED = {"public", "embargo_passed"}


def published_doors(client: Client, record: Deployment) -> dict[str, bool]:
    api_list = client.get("/api/deployments?country=RS&page_size=100").json()["results"]
    return {
        "api list": record.slug in [item["slug"] for item in api_list],
        "api detail": client.get(f"/api/deployments/{record.slug}").status_code == 200,
        "csv": record.slug in client.get("/exports/deployments.csv").content.decode(),
        "geojson": record.slug in client.get("/exports/deployments.geojson").content.decode(),
        "json": record.slug in client.get("/exports/citywatch.json").content.decode(),
        "ocds": record.title
        in json.dumps(client.get("/exports/ocds.json").json(), ensure_ascii=False),
        "feed": record.title in client.get("/feeds/deployments.atom").content.decode(),
        "country feed": record.title in client.get("/feeds/countries/rs.atom").content.decode(),
    }


@pytest.mark.parametrize("visitor", ["anonymous", "other_team", "admin"])
def test_api_exports_and_feeds_publish_only_public_records(records, visitor_clients, visitor):
    client = visitor_clients[visitor]
    for state, record in records.items():
        expected = state in PUBLISHED
        for door, seen in published_doors(client, record).items():
            assert seen is expected, f"{visitor} / {state} / {door}"
