"""Each finding of issue 10, as its own regression test (the matrix covers the kind).

Team A owns the hidden records; the visitors are from team B, from no team, or staff.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from permission_fixtures import client_for

from citywatch.actors.models import Organisation
from citywatch.api.services import create_token
from citywatch.atlas.models import Component, Deployment, Party, Technology
from citywatch.commons.models import AuditEntry, ChangeProposal
from citywatch.evidence import services as evidence
from citywatch.evidence.models import Citation, Source
from citywatch.foi.models import FoiAttachment, FoiLaw, FoiMessage, FoiRequest
from citywatch.research.forms import fact_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(demo, teams):
    """A private deployment of team A, with a component, a cited private source, a vendor only
    it names, and a private FOI request with a reply document."""
    serbia_rs = Deployment.objects.get(slug="belgrade-safe-city").country
    vendor = Organisation.objects.create(
        name="Secret Vendor Ltd", slug="secret-vendor", kind="vendor"
    )
    deployment = Deployment.objects.create(
        title="Secret cameras in Nis",
        slug="secret-nis",
        summary="Quote-secret and money",
        country=serbia_rs,
        status="contracted",
        certainty="documented",
        visibility="private",
        owner_team=teams["A"],
    )
    Party.objects.create(deployment=deployment, organisation=vendor, role="supplier")
    component = Component.objects.create(
        deployment=deployment, technology=Technology.objects.get(slug="cctv"), quantity=77
    )
    source = evidence.add_document(
        b"The contract covers 77 cameras in Nis.",
        "contract.txt",
        title="Secret contract",
        kind="leak",
        visibility="private",
        owner_team=teams["A"],
    )
    evidence.extract_text(source.document)
    Citation.objects.create(source=source, target=component, quote="77 cameras in Nis")
    authority = Organisation.objects.create(
        name="Secret Authority", slug="secret-authority", kind="authority"
    )
    foi = FoiRequest.objects.create(
        title="Secret request about Nis",
        requester=Organisation.objects.get(slug="share-foundation"),
        authority=authority,
        law=FoiLaw.objects.get(law_id="rs-2004"),
        owner_team=teams["A"],
        visibility="private",
        status="awaiting_response",
        sent_on=dt.date(2024, 5, 1),
        language="en",
    )
    message = FoiMessage.objects.create(request=foi, direction="in", kind="reply", body="x")
    reply = evidence.add_document(
        b"Reply from the Secret Authority: refused.",
        "reply.txt",
        title="Reply to request about Nis",
        kind="foi_response",
        visibility="private",
        owner_team=teams["A"],
    )
    evidence.extract_text(reply.document)
    FoiAttachment.objects.create(message=message, source=reply, filename="reply.txt")
    return {
        "deployment": deployment,
        "component": component,
        "source": source,
        "vendor": vendor,
        "authority": authority,
        "foi": foi,
        "reply": reply,
    }


def bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_api_patch_by_a_reviewer_of_another_team_reveals_and_changes_nothing(hidden, make_member):
    reviewer_b = make_member("reviewer", "B")
    text = create_token(reviewer_b, "b", "write")[1]
    client = Client()
    slug = hidden["deployment"].slug
    for body in ({}, {"visibility": "public"}, {"title": "Taken"}):
        response = client.patch(
            f"/api/deployments/{slug}",
            json.dumps(body),
            content_type="application/json",
            **bearer(text),
        )
        assert response.status_code == 404
        assert "Quote-secret" not in response.content.decode()
    hidden["deployment"].refresh_from_db()
    assert (hidden["deployment"].visibility, hidden["deployment"].title) == (
        "private",
        "Secret cameras in Nis",
    )
    # A public record of team A: seen, but not theirs to change.
    hidden["deployment"].visibility = "public"
    hidden["deployment"].save()
    response = client.patch(
        f"/api/deployments/{slug}",
        json.dumps({"title": "Taken"}),
        content_type="application/json",
        **bearer(text),
    )
    assert response.status_code == 403


def test_api_slug_of_a_hidden_record_is_like_an_unknown_one(hidden, make_member):
    reviewer_b = make_member("reviewer", "B")
    text = create_token(reviewer_b, "b", "write")[1]
    body = {
        "title": "Nis cameras",
        "slug": "secret-nis",
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
    }
    response = Client().post(
        "/api/deployments", json.dumps(body), content_type="application/json", **bearer(text)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["slug"] != "secret-nis" and "taken" not in response.content.decode()
    assert Deployment.objects.get(slug="secret-nis").title == "Secret cameras in Nis"


def test_api_create_with_a_hidden_records_title_creates_and_tells_nothing(hidden, make_member):
    """Review finding: the create door matched a hidden deployment by title and country and
    answered 403 ("you may not change this deployment"), telling that it exists. It reads as
    its caller now: a record the caller cannot see is never matched."""
    reviewer_b = make_member("reviewer", "B")
    text = create_token(reviewer_b, "b", "write")[1]
    body = {
        "title": "Secret cameras in Nis",
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
    }
    response = Client().post(
        "/api/deployments", json.dumps(body), content_type="application/json", **bearer(text)
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] != "secret-nis"
    hidden_record = Deployment.objects.get(slug="secret-nis")
    assert (hidden_record.status, hidden_record.owner_team.slug) == ("contracted", "share")


def test_api_visibility_changes_are_audited_with_their_actor(hidden, make_member):
    reviewer_a = make_member("reviewer", "A")
    text = create_token(reviewer_a, "a", "write")[1]
    response = Client().patch(
        f"/api/deployments/{hidden['deployment'].slug}",
        json.dumps({"visibility": "partners"}),
        content_type="application/json",
        **bearer(text),
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="visibility_changed")
    assert entry.actor == reviewer_a


def test_a_contributor_of_another_team_cannot_write_facts_or_citations(hidden, make_member):
    contributor_b = make_member("contributor", "B")
    client = client_for(contributor_b)
    public = Source.objects.get(title__startswith="Mapping Huawei")
    content_type = ContentType.objects.get_for_model(Component)
    fact = fact_value(content_type, hidden["component"].pk, "quantity")
    before = (Citation.objects.count(), Component.objects.count(), ChangeProposal.objects.count())
    response = client.post(
        f"/sources/{public.key}/cite/",
        {"deployment": "secret-nis", "fact": fact, "quote": "Belgrade"},
    )
    assert response.status_code == 404
    response = client.post(
        f"/sources/{public.key}/suggestions/accept/", {"deployment": "secret-nis", "key": "x"}
    )
    assert "Secret cameras" not in response.content.decode()
    after = (Citation.objects.count(), Component.objects.count(), ChangeProposal.objects.count())
    assert after == before
    page = client.get(f"/sources/{public.key}/suggestions/").content.decode()
    assert "secret-nis" not in page and "Secret cameras" not in page


def test_a_contributors_writes_on_their_own_team_become_proposals(hidden, make_member):
    contributor_a = make_member("contributor", "A")
    client = client_for(contributor_a)
    source = hidden["source"]
    content_type = ContentType.objects.get_for_model(Component)
    fact = fact_value(content_type, hidden["component"].pk, "quantity")
    citations = Citation.objects.count()
    response = client.post(
        f"/sources/{source.key}/cite/",
        {"deployment": "secret-nis", "fact": fact, "quote": "The contract covers 77 cameras"},
    )
    assert response.status_code == 302
    assert Citation.objects.count() == citations
    proposal = ChangeProposal.objects.get(operation="cite_passage")
    upload = SimpleUploadedFile("new.txt", b"A different contract text.", "text/plain")
    client.post(f"/sources/{source.key}/document/", {"upload": upload})
    source.refresh_from_db()
    assert source.document.text.startswith("The contract covers")
    assert ChangeProposal.objects.filter(operation="attach_document").count() == 1
    # The team's reviewer applies the citation: now it is written.
    from citywatch.commons.services import apply_proposal

    apply_proposal(proposal, reviewer=make_member("reviewer", "A"), seen_values={})
    assert Citation.objects.count() == citations + 1


def test_staff_without_a_team_see_no_private_deployment(hidden, django_user_model):
    from conftest import with_totp

    staff = django_user_model.objects.create_user("staff", "s@example.org", "x" * 16)
    staff.is_staff = True
    staff.save()
    client = client_for(with_totp(staff))
    public = Source.objects.get(title__startswith="Mapping Huawei")
    for url in (
        f"/sources/{public.key}/text/?deployment=secret-nis",
        "/foi/new/?deployment=secret-nis",
        "/foi/",
        "/admin/atlas/deployment/",
    ):
        assert "Secret cameras" not in client.get(url).content.decode(), url
    assert client.get("/admin/").status_code == 302, "the admin is for site administrators"


def test_a_private_requests_reply_document_stays_private(hidden):
    client = Client()
    reply = hidden["reply"]
    assert client.get(f"/sources/{reply.key}/").status_code == 404
    assert client.get(f"/sources/{reply.pk}/").status_code == 404
    page = client.get("/search/?q=Secret+Authority")
    assert page.context["results"].total == 0
    assert "Reply to request" not in page.content.decode()
    found = client.get("/api/search?q=Secret+Authority").json()
    assert found["count"] == 0 and found["results"] == []


def test_an_uploaded_document_nobody_cites_is_not_public(demo, teams, make_member):
    reviewer_a = make_member("reviewer", "A")
    client = client_for(reviewer_a)
    response = client.post(
        "/sources/new/",
        {
            "title": "Uncited minutes",
            "kind": "official",
            "visibility": "public",
            "upload": SimpleUploadedFile("m.txt", b"Minutes of the council.", "text/plain"),
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Uncited minutes")
    assert str(source.key) in response["Location"], "unguessable address"
    anonymous = Client()
    for url in (
        f"/sources/{source.key}/",
        f"/sources/{source.key}/file/",
        f"/sources/{source.pk}/",
    ):
        assert anonymous.get(url).status_code == 404, url
    assert client.get(f"/sources/{source.key}/").status_code == 200, "its team sees it"


def test_organisations_and_countries_of_hidden_records_only_are_not_public(hidden):
    client = Client()
    assert client.get("/organisations/secret-vendor/").status_code == 404
    assert client.get("/feeds/vendors/secret-vendor.atom").status_code == 404
    assert client.get("/api/organisations/secret-vendor").status_code == 404
    assert client.get("/api/search?q=Secret+Vendor").json()["results"] == []
    assert "Secret Vendor" not in client.get("/search/").content.decode()
    Deployment.objects.filter(country_id="UG").update(visibility="private")
    assert 'value="UG"' not in client.get("/search/").content.decode()


def test_caching_headers_do_not_move_when_a_private_record_changes(hidden):
    client = Client()
    urls = ["/exports/deployments.csv", "/api/deployments", "/api/foi/requests", "/api/search?q=x"]
    before = {url: client.get(url) for url in urls}
    deployment = hidden["deployment"]
    deployment.title = "Secret cameras in Nis, renamed"
    deployment.save()
    hidden["foi"].title = "Renamed secret request"
    hidden["foi"].save()
    for url in urls:
        after = client.get(url)
        assert after["ETag"] == before[url]["ETag"], url
        assert after.get("Last-Modified") == before[url].get("Last-Modified"), url
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.visibility = "private"
    belgrade.save()
    assert client.get(urls[0])["ETag"] != before[urls[0]]["ETag"], "a public change shows"


def test_public_history_names_nobody_who_did_not_choose_it(demo, make_member):
    reviewer = make_member("reviewer", "A")
    text = create_token(reviewer, "t", "write")[1]
    Client().patch(
        "/api/deployments/belgrade-safe-city",
        json.dumps({"summary": "Changed."}),
        content_type="application/json",
        **bearer(text),
    )
    from citywatch.exchange.imports import run_import

    run_import(
        b"slug,title,country,status,certainty\nnovi-sad,Novi Sad,RS,announced,reported\n",
        filename="ana-petrovic-notes.csv",
    )
    for url in ("/deployments/belgrade-safe-city/history/", "/deployments/novi-sad/history/"):
        page = Client().get(url).content.decode()
        assert reviewer.username not in page and "ana-petrovic" not in page, url
    assert (
        "changed through the API"
        in Client().get("/deployments/belgrade-safe-city/history/").content.decode()
    )


def test_reply_documents_recorded_before_are_made_private_to_their_team(hidden):
    """The data migration for replies recorded before sources had their own visibility:
    private to the request's team unless the request is public, notes that name nobody."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "citywatch.foi.migrations.0004_reply_documents_private_to_their_team"
    )
    reply = hidden["reply"]
    Source.objects.filter(pk=reply.pk).update(
        visibility="public",
        owner_team=None,
        notes="Released in answer to the FOI request “Secret request about Nis” (CityWatch #7).",
    )
    migration.make_private(apps, None)
    reply.refresh_from_db()
    assert reply.visibility == "private"
    assert reply.owner_team == hidden["foi"].owner_team
    assert reply.notes == "Released in answer to an FOI request."
