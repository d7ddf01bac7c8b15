"""Atom feeds of new and changed public deployments: overall, per country, vendor, technology."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from citywatch.atlas.models import Deployment

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


def titles(client, url: str) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(client, url)]


def test_overall_feed_lists_public_deployments_newest_change_first(client, demo):
    assert len(titles(client, "/feeds/deployments.atom")) == 8
    component = Deployment.objects.get(slug="kampala-highway-cctv").components.first()
    component.description = "Cameras along the Entebbe Expressway."
    component.save()
    first = entries(client, "/feeds/deployments.atom")[0]
    assert first.findtext(f"{ATOM}title").startswith("Kampala"), "a changed part counts"
    link = first.find(f"{ATOM}link").get("href")
    assert link.endswith("/deployments/kampala-highway-cctv/")
    feed = ET.fromstring(client.get("/feeds/deployments.atom").content)  # noqa: S314
    assert "CC BY 4.0" in (feed.findtext(f"{ATOM}rights") or "")


def test_feeds_per_country_vendor_and_technology(client, demo):
    spain = titles(client, "/feeds/countries/es.atom")
    assert len(spain) == 2
    assert {title.split(":")[0] for title in spain} == {"Barcelona", "Rivas-Vaciamadrid"}
    assert titles(client, "/feeds/countries/ES.atom") == spain
    huawei = titles(client, "/feeds/vendors/huawei.atom")
    listed = client.get("/api/deployments?vendor=huawei").json()
    assert sorted(huawei) == sorted(row["title"] for row in listed["results"]), "as the list"
    assert len(huawei) == 6
    assert titles(client, "/feeds/technologies/5g.atom") == [
        "Barcelona: letter of intention with Huawei"
    ]
    assert client.get("/feeds/countries/qq.atom").status_code == 404
    assert client.get("/feeds/vendors/nobody.atom").status_code == 404
    assert client.get("/feeds/technologies/telepathy.atom").status_code == 404


def test_feeds_never_show_private_or_embargoed_deployments(client, demo):
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() + dt.timedelta(days=3)
    )
    for url in [
        "/feeds/deployments.atom",
        "/feeds/vendors/huawei.atom",
        "/feeds/countries/ug.atom",
        "/feeds/countries/fr.atom",
        "/feeds/technologies/cctv.atom",
    ]:
        text = client.get(url).content.decode()
        assert "Kampala" not in text and "Valenciennes" not in text, url
    assert titles(client, "/feeds/countries/ug.atom") == []


@pytest.mark.parametrize(
    "address", ["/feeds/deployments.atom", "/feeds/vendors/huawei.atom", "/feeds/countries/rs.atom"]
)
def test_a_record_made_private_moves_the_feeds_last_modified(client, demo, address):
    """Review 5: the record leaves the feed at once, and the feed's Last-Modified moves on
    (to the withdrawal's time), so a cache that keeps the feed by its date learns of it."""
    from django.utils.http import parse_http_date

    from citywatch.atlas import services
    from citywatch.teams import permissions
    from citywatch.teams.models import PublicWithdrawal

    before = client.get(address)
    shown = parse_http_date(before["Last-Modified"])
    deal = Deployment.objects.get(slug="belgrade-safe-city")
    assert deal.title in before.content.decode()
    deal.visibility = "private"
    services.save_record(deal, by=permissions.INTERNAL)
    withdrawn = PublicWithdrawal.objects.latest("at").at
    PublicWithdrawal.objects.update(at=withdrawn + dt.timedelta(seconds=5))  # a later second
    after = client.get(address)
    assert deal.title not in after.content.decode()
    assert parse_http_date(after["Last-Modified"]) > shown
