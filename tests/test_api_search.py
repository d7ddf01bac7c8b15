"""GET /api/search: the search page's results as JSON, public records only, snippets escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Citation, Source
from citywatch.research.search import search

pytestmark = pytest.mark.django_db

RIVAS = "Rivas-Vaciamadrid: Huawei eLTE broadband trunking for the police"


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def hits(response) -> list[tuple[str, str]]:
    return [(row["kind"], row["title"]) for row in ok(response)["results"]]


def test_hits_as_json(client, demo):
    data = ok(client.get("/api/search", {"q": "eLTE"}))
    assert data["query"] == "eLTE"
    assert data["count"] == 1 and data["counts"] == {"deployment": 1}
    (hit,) = data["results"]
    assert (hit["kind"], hit["title"]) == ("deployment", RIVAS)
    assert hit["url"].endswith("/deployments/rivas-vaciamadrid-elte/")
    assert hit["url"].startswith("http")
    assert hit["id"] == "rivas-vaciamadrid-elte"  # its slug, never its database number
    assert "<mark>eLTE</mark>" in hit["snippet"]
    assert "eLTE" in hit["snippet_text"] and "<mark>" not in hit["snippet_text"]


QUERIES = [
    {"q": "huawei"},
    {"q": "huawei", "kind": "organisation"},
    {"q": "huawei", "kind": ["deployment", "source"]},
    {"q": "huawei", "country": "es"},
    {"q": "cameras", "vendor": "huawei"},
    {"q": "smart cit*"},
    {"q": '"letter of intention"'},
    {"q": "zzzzzz"},
]


@pytest.mark.parametrize("params", QUERIES)
def test_the_same_hits_as_the_search_function(client, demo, params):
    kinds = params.get("kind")
    expected = search(
        params["q"],
        kinds=[kinds] if isinstance(kinds, str) else kinds,
        country=params.get("country"),
        vendor=params.get("vendor"),
        limit=200,
    )
    data = ok(client.get("/api/search", {**params, "page_size": 200}))
    assert data["count"] == expected.total
    assert hits_of(data) == [(h.kind, h.title) for h in expected.hits]
    if kinds:
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        assert {kind for kind, _title in hits_of(data)} <= wanted


def hits_of(data: dict) -> list[tuple[str, str]]:
    return [(row["kind"], row["title"]) for row in data["results"]]


def test_pages(client, demo):
    total = ok(client.get("/api/search", {"q": "huawei"}))["count"]
    assert total > 4
    first = ok(client.get("/api/search", {"q": "huawei", "page_size": 2}))
    assert first["count"] == total and len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"] and "q=huawei" in first["next"]
    second = ok(client.get(first["next"]))
    assert "page=1" in second["previous"]
    assert not set(hits_of(first)) & set(hits_of(second))
    beyond = ok(client.get("/api/search", {"q": "huawei", "page": 99}))
    assert beyond["results"] == [] and beyond["count"] == total and beyond["next"] is None


def test_private_and_embargoed_deployments_are_never_hits(client, demo):
    leak = Source.objects.create(title="Zanzibar procurement ledger", kind="leak")
    Citation.objects.create(
        source=leak, target=Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    )
    assert ("deployment", RIVAS) in hits(client.get("/api/search", {"q": "elte"}))
    assert ("source", leak.title) in hits(client.get("/api/search", {"q": "zanzibar"}))

    Deployment.objects.filter(slug="rivas-vaciamadrid-elte").update(visibility="private")
    Deployment.objects.filter(slug="valenciennes-cameras").update(
        embargo_until=dt.date.today() + dt.timedelta(days=5)
    )
    for params in (
        {"q": "elte"},
        {"q": "elte", "kind": "deployment"},
        {"q": "rivas vaciamadrid"},
        {"q": "huawei", "vendor": "huawei", "page_size": 200},
        {"q": "huawei", "country": "ES", "page_size": 200},
        {"q": "zanzibar"},
        {"q": "valenciennes"},
    ):
        response = client.get("/api/search", params)
        found = hits(response)
        assert ("deployment", RIVAS) not in found, params
        assert ("source", leak.title) not in found, params
        assert not [
            title for kind, title in found if kind == "deployment" and "Valenciennes" in title
        ]
        body = response.content.decode()
        assert "rivas-vaciamadrid-elte" not in body and "Zanzibar" not in body, params
    assert ok(client.get("/api/search", {"q": "elte"}))["count"] == 0


def test_snippets_carry_no_markup_from_the_database(client, demo):
    deployment = Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    deployment.summary = (
        'Cámaras <script>alert(1)</script> térmicas & <b>más</b> <img src=x onerror="alert(2)">'
    )
    deployment.save()  # re-indexed on save
    (hit,) = ok(client.get("/api/search", {"q": "termicas"}))["results"]
    snippet = hit["snippet"]
    assert "<mark>térmicas</mark>" in snippet
    assert set(re.findall(r"<[^>]*>", snippet)) <= {"<mark>", "</mark>"}
    assert "&lt;script&gt;" in snippet and "&amp;" in snippet and "&lt;b&gt;" in snippet
    assert "onerror=&quot;" in snippet
    assert "<mark>" not in hit["snippet_text"] and "térmicas & " in hit["snippet_text"]


def test_bad_parameters_are_a_422(client, demo):
    assert client.get("/api/search").status_code == 422, "q is required"
    assert client.get("/api/search", {"q": ""}).status_code == 422
    assert client.get("/api/search", {"q": "huawei", "kind": "person"}).status_code == 422
    assert client.get("/api/search", {"q": "huawei", "page": 0}).status_code == 422
    assert client.get("/api/search", {"q": "huawei", "page_size": 201}).status_code == 422
    assert ok(client.get("/api/search", {"q": "huawei", "vendor": "9" * 40}))["count"] == 0
    assert ok(client.get("/api/search", {"q": "***"}))["count"] == 0


def test_etag_and_last_modified_give_304_until_data_changes(client, demo):
    params = {"q": "elte"}
    first = client.get("/api/search", params)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/api/search", params, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/search", params, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/api/search", {"q": "huawei"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    deployment = Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    deployment.title = "Rivas-Vaciamadrid: eLTE trunking"
    deployment.save()
    changed = client.get("/api/search", params, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert hits(changed) == [("deployment", "Rivas-Vaciamadrid: eLTE trunking")]


def test_openapi_documents_search(client, demo):
    operation = ok(client.get("/api/openapi.json"))["paths"]["/api/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "country", "vendor"}
    assert {"200", "422"} <= set(operation["responses"])


def test_places_requests_and_counts_in_the_api(client, demo):
    data = ok(client.get("/api/search", {"q": "Srbija", "kind": "place"}))
    assert ("place", "Serbia") in hits_of(data)
    serbia = next(row for row in data["results"] if row["title"] == "Serbia")
    assert serbia["id"] == "RS" and serbia["url"].endswith("/countries/rs/")
    requests = ok(client.get("/api/search", {"q": "locations", "kind": "foi_request"}))
    assert requests["count"] >= 1
    assert {row["kind"] for row in requests["results"]} == {"foi_request"}
    assert all(row["matches"] >= 1 for row in requests["results"])


def test_every_match_is_reachable_by_paging(client, demo):
    total = ok(client.get("/api/search", {"q": "huawei", "page_size": 200}))
    seen = []
    page = 1
    while True:
        data = ok(client.get("/api/search", {"q": "huawei", "page_size": 3, "page": page}))
        seen += [(row["kind"], row["id"]) for row in data["results"]]
        if data["next"] is None:
            break
        page += 1
    assert len(seen) == len(set(seen)) == total["count"] == sum(total["counts"].values())


@pytest.mark.parametrize("q", ["Београд", "Beograd", "Djordjevic", "cámaras", "camera"])
def test_cyrillic_and_stemmed_queries_agree_with_the_page(client, demo, q):
    data = ok(client.get("/api/search", {"q": q, "page_size": 200}))
    assert data["count"] == search(q, limit=200).total
