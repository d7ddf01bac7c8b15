"""The read API: lists with the web list's filters, pagination, details, ETag/Last-Modified,
the OpenAPI document and docs served from our own host, and only public data."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from citywatch.atlas.models import Deployment
from citywatch.foi.models import FoiRequest

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_list_shows_every_public_deployment(client, demo):
    data = client.get("/api/deployments").json()
    assert data["count"] == 8
    assert data["next"] is None
    belgrade = next(r for r in data["results"] if r["slug"] == "belgrade-safe-city")
    assert belgrade["country"] == {"code": "RS", "name": "Serbia"}
    assert belgrade["locality"]["name"] == "Belgrade"
    assert belgrade["vendors"] == [{"slug": "huawei", "name": "Huawei", "kind": "vendor"}]
    assert belgrade["technologies"] == ["cctv"]
    assert belgrade["url"].endswith("/deployments/belgrade-safe-city/")
    assert re.fullmatch(r"[0-9a-f-]{36}", belgrade["id"])


FILTER_CASES = [
    ("country=RS", ["belgrade-safe-city"]),
    ("country=es", ["barcelona-letter-of-intention", "rivas-vaciamadrid-elte"]),
    ("country=RS&country=UG", ["belgrade-safe-city", "kampala-highway-cctv"]),
    ("status=announced&country=RS", ["belgrade-safe-city"]),
    ("certainty=documented&country=ES", ["barcelona-letter-of-intention"]),
    ("technology=5g", ["barcelona-letter-of-intention"]),
    ("q=belgrade", ["belgrade-safe-city"]),
    ("q=vaciamadrid", ["rivas-vaciamadrid-elte"]),
    ("vendor=huawei&country=FR", ["valenciennes-cameras"]),
    ("vendor=no-such-vendor", []),
]


def test_filters_work_like_the_web_list(client, demo):
    for query, expected in FILTER_CASES:
        assert sorted(slugs(client.get(f"/api/deployments?{query}"))) == expected, query
        web = client.get(f"/deployments/?{query}").content.decode()
        for slug in expected:
            assert f"/deployments/{slug}/" in web, (query, slug)


def test_invalid_filter_value_is_a_422_not_a_crash(client, demo):
    response = client.get("/api/deployments?status=exploded")
    assert response.status_code == 422


def test_pagination_with_next_and_previous_links(client, demo):
    first = client.get("/api/deployments?page_size=3").json()
    assert first["count"] == 8
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=3" in first["next"]
    third = client.get("/api/deployments?page_size=3&page=3").json()
    assert len(third["results"]) == 2
    assert third["next"] is None
    assert "page=2" in third["previous"]
    pages = [first, client.get("/api/deployments?page_size=3&page=2").json(), third]
    seen = [row["slug"] for page in pages for row in page["results"]]
    assert len(seen) == len(set(seen)) == 8
    beyond = client.get("/api/deployments?page_size=3&page=9").json()
    assert beyond["results"] == [] and beyond["count"] == 8


def test_detail_has_parts_and_citations_with_quotes(client, demo):
    data = client.get("/api/deployments/valenciennes-cameras").json()
    assert data["summary"]
    assert {c["quantity"] for c in data["components"]} >= {240}
    assert any(m["amount"] == "2000000.00" and m["currency"] == "EUR" for m in data["money"])
    assert data["citations"], "every fact carries its source"
    assert all(c["source_title"] for c in data["citations"])
    assert any(c["quote"] for c in data["citations"])
    assert client.get("/api/deployments/no-such-deal").status_code == 404


def test_organisations_countries_sources_technologies(client, demo):
    organisations = client.get("/api/organisations?kind=vendor").json()
    assert [o["slug"] for o in organisations["results"]] == ["huawei"]
    huawei = client.get("/api/organisations/huawei").json()
    assert huawei["aliases"] == ["Huawei Technologies Co., Ltd."]
    countries = client.get("/api/countries").json()
    counts = {c["code"]: c["deployments"] for c in countries["results"]}
    assert counts["MM"] == 3 and counts["ES"] == 2
    spain = client.get("/api/countries/es").json()
    assert any("19/2013" in entry["name"] for entry in spain["legal_card"])
    sources = client.get("/api/sources").json()
    report = next(s for s in sources["results"] if "Smart Cities creep" in s["title"])
    assert client.get(f"/api/sources/{report['id']}").json()["publisher"] == (
        "Privacy International"
    )
    technologies = [t["slug"] for t in client.get("/api/technologies").json()]
    assert technologies[:3] == ["cctv", "facial-recognition", "licence-plate-recognition"]


def test_etag_and_last_modified_give_304_until_data_changes(client, demo):
    first = client.get("/api/deployments?country=RS")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/api/deployments?country=RS", HTTP_IF_NONE_MATCH=etag).status_code == 304
    later = client.get("/api/deployments?country=RS", HTTP_IF_MODIFIED_SINCE=modified)
    assert later.status_code == 304
    other = client.get("/api/deployments?country=ES", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200, "another query has another ETag"
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    deployment.title = "Belgrade: a thousand cameras"
    deployment.save()
    changed = client.get("/api/deployments?country=RS", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["title"] == "Belgrade: a thousand cameras"


def test_a_change_to_a_part_changes_the_detail_etag(client, demo):
    url = "/api/deployments/belgrade-safe-city"
    etag = client.get(url)["ETag"]
    component = Deployment.objects.get(slug="belgrade-safe-city").components.first()
    component.quantity = 1001
    component.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert 1001 in [c["quantity"] for c in response.json()["components"]]


def test_private_partners_and_embargoed_deployments_never_appear(client, demo):
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Deployment.objects.filter(slug="belgrade-safe-city").update(visibility="partners")
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() + dt.timedelta(days=3)
    )
    # The ministry is also the authority of a public FOI request: hide it too, so the
    # ministry is named only by hidden records.
    FoiRequest.objects.filter(authority__slug="ministry-of-interior-serbia").update(
        visibility="private"
    )
    hidden = ["kampala-highway-cctv", "belgrade-safe-city", "valenciennes-cameras"]
    listed = slugs(client.get("/api/deployments?page_size=200"))
    assert len(listed) == 5
    assert not set(hidden) & set(listed)
    for slug in hidden:
        assert client.get(f"/api/deployments/{slug}").status_code == 404
    organisations = [o["slug"] for o in client.get("/api/organisations").json()["results"]]
    for only_in_hidden in ("uganda-police-force", "ministry-of-interior-serbia"):
        assert only_in_hidden not in organisations
        assert client.get(f"/api/organisations/{only_in_hidden}").status_code == 404
    counts = {c["code"]: c["deployments"] for c in client.get("/api/countries").json()["results"]}
    assert "UG" not in counts and counts.get("RS", 0) == 0
    everything = client.get("/api/deployments?page_size=200").content.decode()
    assert "Kampala" not in everything and "Belgrade" not in everything


def test_openapi_document_describes_every_endpoint(client, demo):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "CityWatch API"
    paths = document["paths"]
    for path in [
        "/api/deployments",
        "/api/deployments/{slug}",
        "/api/organisations",
        "/api/organisations/{slug}",
        "/api/countries",
        "/api/countries/{code}",
        "/api/sources",
        "/api/sources/{source_id}",
        "/api/technologies",
        "/api/token",
    ]:
        assert "get" in paths[path], path
    assert "post" in paths["/api/deployments"] and "patch" in paths["/api/deployments/{slug}"]
    parameters = {p["name"] for p in paths["/api/deployments"]["get"]["parameters"]}
    assert {"country", "vendor", "technology", "status", "certainty", "q", "page"} <= parameters
    assert "bearer" in str(document["components"]["securitySchemes"]).lower()


def test_docs_are_served_from_our_own_host(client, demo):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert '"validatorUrl": null' in html
    external = [
        url
        for url in re.findall(r"""(?:src|href)=["']([^"']+)""", html)
        if url.startswith(("http:", "https:", "//"))
    ]
    assert external == []
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_nul_characters_are_refused_not_a_crash(client, demo):
    # Found by schemathesis on PostgreSQL, which cannot compare text containing NUL. The
    # site-wide middleware drops NULs from query parameters; the API refuses any left.
    everything = client.get("/api/deployments").json()["count"]
    assert client.get("/api/deployments?country=%00").json()["count"] == everything
    response = client.get("/api/organisations?q=hua%00wei")
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["Huawei"]
    assert client.get("/api/deployments/belgrade%00").status_code == 404
