"""The public list and detail pages show the report's cases with their quotes."""

import datetime as dt

import pytest

from citywatch.atlas.models import Deployment

pytestmark = pytest.mark.django_db

NAMES = ["Naypyidaw", "Kampala", "Belgrade", "Rivas-Vaciamadrid", "Barcelona", "Valenciennes"]


def test_list_shows_every_case(client, demo):
    response = client.get("/deployments/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in [*NAMES, "Mandalay", "Yangon"]:
        assert name in html
    assert "8 deployments of 8" in html


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "naypyidaw-safe-city",
            ["335 cameras", "according to Human Rights Watch", "Facial recognition"],
        ),
        (
            "belgrade-safe-city",
            ["about 1,000 cameras", "protected as “confidential”", "Plate recognition"],
        ),
        (
            "rivas-vaciamadrid-elte",
            ["eLTE Broadband Trunking Solution", "we never received a response"],
        ),
        ("barcelona-letter-of-intention", ["November 2019", "Smart City Expo World Congress"]),
        (
            "valenciennes-cameras",
            ["240 cameras", "2,000,000 EUR", "Donation (free of charge)", "not used"],
        ),
        ("kampala-highway-cctv", ["along major highways", "immigration office"]),
    ],
)
def test_detail_page_shows_facts_with_the_report_quotes(client, demo, slug, expected):
    response = client.get(f"/deployments/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    assert 'id="fn-1"' in html
    assert "Mapping Huawei’s Smart Cities creep" in html


def test_unknown_deployment_is_404(client, demo):
    assert client.get("/deployments/no-such-deal/").status_code == 404


def test_private_and_embargoed_deployments_never_show(client, demo):
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Deployment.objects.filter(slug="belgrade-safe-city").update(visibility="partners")
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() + dt.timedelta(days=3)
    )
    html = client.get("/deployments/").content.decode()
    assert "Kampala" not in html
    assert "Belgrade" not in html
    assert "Valenciennes" not in html
    for slug in ["kampala-highway-cctv", "belgrade-safe-city", "valenciennes-cameras"]:
        assert client.get(f"/deployments/{slug}/").status_code == 404
    assert "Valenciennes" not in client.get("/organisations/huawei/").content.decode()
    assert "Kampala" not in client.get("/countries/ug/").content.decode()


def test_embargo_passed_is_public(client, demo):
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() - dt.timedelta(days=1)
    )
    assert client.get("/deployments/valenciennes-cameras/").status_code == 200


def test_country_page_shows_the_legal_card(client, demo):
    html = client.get("/countries/mm/").content.decode()
    assert "Myanmar has no data protection or surveillance legislation." in html
    assert "Naypyidaw" in html
    assert client.get("/countries/zz/").status_code == 404


def test_vendor_page_shows_claim_beside_what_is_documented(client, demo):
    html = client.get("/organisations/huawei/").content.decode()
    assert "more than 160 so-called Smart Cities" in html
    assert "CityWatch documents 6 deployments in 5 countries." in html


def test_source_page_lists_the_deals_it_backs(client, demo):
    from citywatch.evidence.models import Source

    report = Source.objects.get(title__startswith="Mapping Huawei")
    html = client.get(f"/sources/{report.key}/").content.decode()
    assert "Privacy International" in html
    for name in NAMES:
        assert name in html


def test_home_is_the_map_with_filters(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="map"' in html
    assert "8 deployments" in html
    assert 'name="vendor" value="huawei"' in html
