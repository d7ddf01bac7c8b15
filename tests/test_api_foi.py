"""The FOI read API: laws as data, and public requests only (never private, partners-only,
embargoed or draft ones), with public deployments, public sources and derived flags."""

from __future__ import annotations

import datetime as dt

import pytest

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Citation, Source
from citywatch.foi import services
from citywatch.foi.laws import all_laws, law_to_dict
from citywatch.foi.models import FoiEvent, FoiLaw, FoiRequest, TimelineKind

pytestmark = pytest.mark.django_db

RIVAS = (
    "Huawei contracts, brochures, impact assessments and smart video analysis in Rivas-Vaciamadrid"
)
BARCELONA = "The letter of intention between Barcelona City Council and Huawei"
SERBIA = "Locations of Belgrade’s smart cameras and the procurement documents"


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def titles(response) -> list[str]:
    return [row["title"] for row in ok(response)["results"]]


def request_id(title: str) -> str:
    """A request's id in the API: its public key."""
    return FoiRequest.objects.get(title=title).key


def new_request(title: str, **values) -> FoiRequest:
    """A request as the FOI desk files it (a draft until it is sent)."""
    return services.create_request(
        requester=Organisation.objects.get(slug="privacy-international"),
        authority=Organisation.objects.get(slug="barcelona-city-council"),
        law=FoiLaw.objects.get(law_id="es-ct-19-2014"),
        title=title,
        questions=["Every contract with Huawei."],
        language="en",
        deployments=[Deployment.objects.get(slug="barcelona-letter-of-intention")],
        **values,
    )


def sent(request: FoiRequest, on: dt.date) -> FoiRequest:
    services.record_sent(request, channel="portal", on=on, subject="Request", body="Please.")
    request.refresh_from_db()
    return request


# --- laws -----------------------------------------------------------------------------------


def test_every_law_record_with_its_rules(client, demo):
    data = ok(client.get("/api/foi/laws"))
    assert data["count"] == FoiLaw.objects.count() == len(all_laws())
    assert data["next"] is None and data["previous"] is None
    by_id = {law["id"]: law for law in data["results"]}
    for law in all_laws():
        rules = law_to_dict(law)
        shown = by_id[law.id]
        assert shown["period"] == rules["period"], law.id
        assert shown["extension"] == rules["extension"], law.id
        assert shown["silence"] == rules["silence"], law.id
        assert shown["holiday_calendar"] == rules["calendar"], law.id
        assert [a["id"] for a in shown["appeals"]] == [a["id"] for a in rules["appeals"]]
        assert shown["verified"] is law.verified, law.id
        assert shown["unverified"] == [str(note.text) for note in law.unverified_notes()], law.id
        assert shown["time_zone"] == law.time_zone, law.id
        # Each figure with its provision, sources and the month last checked.
        for key in ("period_basis", "rollover_basis", "calendar_basis", "silence_basis"):
            assert shown[key] == rules[key], (law.id, key)
        assert shown["last_checked"] == "2026-11", law.id


def test_one_law_with_period_unit_extension_appeals_and_unverified_notes(client, demo):
    madrid = ok(client.get("/api/foi/laws/es-md-10-2019"))
    assert madrid["jurisdiction"] == "ES-MD" and madrid["country"] == "ES"
    assert madrid["period"] == {"amount": 20, "unit": "working_days"}
    assert madrid["extension"]["amount"] == 20
    assert madrid["silence"] == "deemed_refused"
    assert madrid["holiday_calendar"]["subdivisions"] == ["MD"]
    assert madrid["url"].startswith("https://") and madrid["citation"]
    silence = next(a for a in madrid["appeals"] if a["id"] == "madrid-council-claim-silence")
    assert silence["period"] == {"amount": 1, "unit": "months"}
    assert silence["counted_from"] == "deadline_expired"
    assert silence["any_time"] is True and silence["verified"] is False
    assert madrid["verified"] is False
    assert silence["note"] in madrid["unverified"]
    assert silence["basis"]["verified"] is False
    assert silence["basis"]["sources"][0]["url"].startswith("https://sede.comunidad.madrid/")
    assert silence["basis"]["sources"][0]["checked"] == "2026-11"
    assert "Protección de Datos" in silence["body"]
    assert madrid["period_basis"]["provision"].startswith("Ley 10/2019")
    assert madrid["official_name"].startswith("Ley 10/2019, de 10 de abril")
    assert madrid["time_zone"] == "Europe/Madrid"
    assert madrid["holiday_calendar"]["seat_municipality"] is True
    assert any("suspension" in text for text in madrid["unverified"])
    ico = next(
        a
        for a in ok(client.get("/api/foi/laws/gb-foia-2000"))["appeals"]
        if a["id"] == "ico-complaint"
    )
    assert ico["period"] == {"amount": 6, "unit": "weeks"} and ico["advisory"] is True
    catalonia = ok(client.get("/api/foi/laws/es-ct-19-2014"))
    assert catalonia["extension"]["share"] == [1, 2]
    myanmar = ok(client.get("/api/foi/laws/mm-none"))
    assert myanmar["has_law"] is False and myanmar["period"] is None
    assert client.get("/api/foi/laws/no-such-law").status_code == 404


def test_laws_by_country(client, demo):
    spain = {law["id"] for law in ok(client.get("/api/foi/laws?country=es"))["results"]}
    assert spain == {"es-19-2013", "es-md-10-2019", "es-ct-19-2014"}
    page = ok(client.get("/api/foi/laws?page_size=2&page=2"))
    assert len(page["results"]) == 2 and "page=3" in page["next"] and "page=1" in page["previous"]


# --- requests -------------------------------------------------------------------------------


def test_the_demo_requests_are_listed(client, demo):
    data = ok(client.get("/api/foi/requests"))
    assert data["count"] == 3
    assert sorted(row["title"] for row in data["results"]) == sorted([RIVAS, BARCELONA, SERBIA])
    serbia = next(row for row in data["results"] if row["title"] == SERBIA)
    assert serbia["status"] == "resolved" and serbia["resolution"] == "refused"
    assert serbia["law"]["id"] == "rs-2004"
    assert serbia["authority"] == {
        "slug": "ministry-of-interior-serbia",
        "name": "Ministry of Interior of Serbia",
        "kind": "authority",
        "country": "RS",
    }
    assert serbia["requester"]["slug"] == "share-foundation"
    assert [d["slug"] for d in serbia["deployments"]] == ["belgrade-safe-city"]
    assert [q["number"] for q in serbia["questions"]] == [1, 2]
    assert serbia["url"].endswith(f"/foi/{serbia['id']}/")


FILTERS = [
    ("authority=barcelona-city-council", [BARCELONA]),
    ("country=es", [BARCELONA, RIVAS]),
    ("country=RS", [SERBIA]),
    ("status=resolved", [BARCELONA, RIVAS, SERBIA]),
    ("status=awaiting_response", []),
    ("status=draft", []),
    ("resolution=deemed_refused", [RIVAS]),
    ("resolution=successful&country=ES", [BARCELONA]),
    ("authority=no-such-authority", []),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters(client, demo, query, expected):
    assert sorted(titles(client.get(f"/api/foi/requests?{query}"))) == sorted(expected)


def test_unknown_status_or_resolution_is_a_422(client, demo):
    assert client.get("/api/foi/requests?status=lost").status_code == 422
    assert client.get("/api/foi/requests?resolution=maybe").status_code == 422


def test_one_request_with_questions_appeals_and_public_timeline(client, demo):
    rivas = ok(client.get(f"/api/foi/requests/{request_id(RIVAS)}"))
    assert rivas["law"]["id"] == "es-md-10-2019"
    assert rivas["authority"]["slug"] == "ayuntamiento-rivas-vaciamadrid"
    assert rivas["requester"]["slug"] == "privacy-international"
    assert [q["number"] for q in rivas["questions"]] == [1, 2, 3, 4]
    assert rivas["questions"][0]["text"].startswith("To disclose a copy of all available")
    assert [d["slug"] for d in rivas["deployments"]] == ["rivas-vaciamadrid-elte"]
    assert [e["kind"] for e in rivas["timeline"]] == ["sent", "follow_up_sent", "resolved"]
    assert rivas["timeline"][2]["details"] == {"to": "resolved", "resolution": "deemed_refused"}
    assert rivas["timeline"][0]["source"]["title"] == "Mapping Huawei’s Smart Cities creep"
    assert "file a Freedom of Information" in rivas["timeline"][0]["quote"]
    stages = [a["stage"] for a in rivas["appeals"]]
    assert stages == ["madrid-council-claim", "madrid-council-claim-silence"]
    assert all(a["explanation"] for a in rivas["appeals"])
    assert rivas["due_on"] is None and "no dates" in rivas["date_note"]
    key = Source.objects.get(key=rivas["source"]["id"]).key  # the source's key, not its number
    assert rivas["source"]["page"].endswith(f"/sources/{key}/")


def test_private_partners_embargoed_and_draft_requests_never_appear(client, demo):
    private = sent(new_request("Private: Huawei cameras contract"), dt.date(2024, 3, 1))
    partners = sent(
        new_request("Partners only: Huawei cameras", visibility="partners"), dt.date(2024, 3, 1)
    )
    embargoed = sent(
        new_request(
            "Embargoed: Huawei cameras",
            visibility="public",
            embargo_until=dt.date.today() + dt.timedelta(days=10),
        ),
        dt.date(2024, 3, 1),
    )
    draft = new_request("Draft: Huawei cameras", visibility="public")
    assert draft.status == "draft"
    hidden = [private, partners, embargoed, draft]
    shown = sent(new_request("Public: Huawei cameras", visibility="public"), dt.date(2024, 3, 1))
    over = sent(
        new_request(
            "Embargo over: Huawei cameras", embargo_until=dt.date.today() - dt.timedelta(days=1)
        ),
        dt.date(2024, 3, 1),
    )

    listed = titles(client.get("/api/foi/requests?page_size=200"))
    assert sorted(listed) == sorted([RIVAS, BARCELONA, SERBIA, shown.title, over.title])
    everything = client.get("/api/foi/requests?page_size=200&authority=barcelona-city-council")
    for request in hidden:
        assert request.title not in everything.content.decode()
        assert client.get(f"/api/foi/requests/{request.key}").status_code == 404
    for status in ("awaiting_response", "draft"):
        filtered = titles(client.get(f"/api/foi/requests?status={status}&page_size=200"))
        assert not {r.title for r in hidden} & set(filtered)
    assert ok(client.get(f"/api/foi/requests/{shown.key}"))["title"] == shown.title
    assert ok(client.get(f"/api/foi/requests/{over.key}"))["title"] == over.title
    assert client.get("/api/foi/requests/999999").status_code == 404


def test_only_public_deployments_are_linked(client, demo):
    url = f"/api/foi/requests/{request_id(RIVAS)}"
    assert [d["slug"] for d in ok(client.get(url))["deployments"]] == ["rivas-vaciamadrid-elte"]
    Deployment.objects.filter(slug="rivas-vaciamadrid-elte").update(visibility="private")
    detail = client.get(url)
    assert ok(detail)["deployments"] == []
    assert "rivas-vaciamadrid-elte" not in detail.content.decode()
    listed = client.get("/api/foi/requests").content.decode()
    assert "rivas-vaciamadrid-elte" not in listed
    assert RIVAS in listed, "the request itself stays public"


def test_derived_flags_and_due_date(client, demo):
    today = dt.date.today()
    # Llei 19/2014: one month. Sent 45 days ago it is overdue; 150 days ago, very overdue.
    waiting = sent(new_request("Waiting: Huawei cameras", visibility="public"), today)
    late = sent(
        new_request("Late: Huawei cameras", visibility="public"), today - dt.timedelta(days=45)
    )
    very_late = sent(
        new_request("Very late: Huawei cameras", visibility="public"),
        today - dt.timedelta(days=150),
    )
    for foi, overdue, very_overdue in (
        (waiting, False, False),
        (late, True, False),
        (very_late, True, True),
    ):
        data = ok(client.get(f"/api/foi/requests/{foi.key}"))
        assert data["status"] == "awaiting_response" and data["open"] is True
        assert data["sent_on"] == foi.sent_on.isoformat()
        assert data["due_on"] == foi.due_on.isoformat()
        assert data["due_explanation"], "how the due date was computed"
        assert (data["overdue"], data["very_overdue"]) == (overdue, very_overdue), foi.title
    listed = {row["title"]: row for row in ok(client.get("/api/foi/requests"))["results"]}
    assert listed[late.title]["overdue"] is True
    closing = sent(new_request("Closing: Huawei cameras", visibility="public"), dt.date(2024, 3, 1))
    FoiRequest.objects.filter(pk=closing.pk).update(
        status="resolved", resolution="refused", appeal_due_on=today + dt.timedelta(days=3)
    )
    data = ok(client.get(f"/api/foi/requests/{closing.key}"))
    assert data["appeal_window_closing"] is True and data["open"] is False
    assert data["overdue"] is False


def test_timeline_keeps_private_details_and_hidden_sources_out(client, demo):
    serbia = FoiRequest.objects.get(title=SERBIA)
    FoiEvent.objects.create(
        request=serbia,
        kind=TimelineKind.OVERDUE,
        on=dt.date(2024, 5, 1),
        data={"due_on": "2024-04-30", "emailed_to": "campaigns@example.org"},
    )
    # A source its owner keeps private: even cited by a public request's event, it stays hidden.
    leak = Source.objects.create(title="Leaked Kampala invoice", kind="leak", visibility="private")
    Deployment.objects.filter(slug="kampala-highway-cctv").update(visibility="private")
    Citation.objects.create(source=leak, target=Deployment.objects.get(slug="kampala-highway-cctv"))
    FoiEvent.objects.create(
        request=serbia,
        kind=TimelineKind.NOTE,
        note="Compared with another deal.",
        source=leak,
        quote="Invoice line 7: 500 cameras",
    )
    response = client.get(f"/api/foi/requests/{serbia.key}")
    timeline = ok(response)["timeline"]
    assert [e["kind"] for e in timeline][-2:] == ["overdue", "note"]
    assert timeline[-2]["details"] == {"due_on": "2024-04-30"}
    assert timeline[-1]["source"] is None and timeline[-1]["quote"] == ""
    assert timeline[-1]["note"] == "Compared with another deal."
    body = response.content.decode()
    for secret in ("campaigns@example.org", "Leaked Kampala invoice", "Invoice line 7"):
        assert secret not in body
    assert "recorded_by" not in body


def test_etag_and_last_modified_give_304_until_foi_data_changes(client, demo):
    for url in ("/api/foi/requests", "/api/foi/laws", "/api/foi/laws/rs-2004"):
        first = client.get(url)
        etag, modified = first["ETag"], first["Last-Modified"]
        assert etag and modified
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    url = f"/api/foi/requests/{request_id(SERBIA)}"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    serbia = FoiRequest.objects.get(title=SERBIA)
    services.add_event(serbia, TimelineKind.NOTE, note="The Commissioner replied.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["timeline"][-1]["note"] == "The Commissioner replied."
    list_etag = client.get("/api/foi/requests")["ETag"]
    serbia.title = "Belgrade cameras: locations and procurement"
    serbia.save()
    again = client.get("/api/foi/requests", HTTP_IF_NONE_MATCH=list_etag)
    assert again.status_code == 200
    assert "Belgrade cameras: locations and procurement" in titles(again)


def test_openapi_documents_the_foi_endpoints(client, demo):
    document = ok(client.get("/api/openapi.json"))
    paths = document["paths"]
    for path in (
        "/api/foi/laws",
        "/api/foi/laws/{law_id}",
        "/api/foi/requests",
        "/api/foi/requests/{request_key}",
    ):
        assert "get" in paths[path], path
        assert "200" in paths[path]["get"]["responses"], path
    parameters = {p["name"] for p in paths["/api/foi/requests"]["get"]["parameters"]}
    assert {"authority", "country", "status", "resolution", "page", "page_size"} <= parameters
    schemas = document["components"]["schemas"]
    assert {"overdue", "questions", "deployments"} <= set(
        schemas["RequestSummaryOut"]["properties"]
    )
    assert "timeline" in schemas["RequestDetailOut"]["properties"]
    assert {"period", "extension", "silence", "appeals", "holiday_calendar", "unverified"} <= set(
        schemas["LawDetailOut"]["properties"]
    )
