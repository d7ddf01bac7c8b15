"""No page, form or API answer a signed-in member sees shows the database number of a record
that can be hidden (review G8, the members' side of tests/test_public_ids.py): numbers are
sequential, so two of them count, and date, the hidden records made in between. Forms offer
deployments, authorities, requesters and teams by slug; a reply's document by its source's
key; tips and change proposals have random keys in their review addresses and in the API's
answer; a deal's parts and citations, a cited fact and a history version carry an HMAC id.
Numeric review addresses answer 404 like unknown ones."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from test_deal_form import open_page
from test_documents import make_pdf

from citywatch.actors.models import Organisation
from citywatch.api.services import create_token
from citywatch.atlas.models import Component, Deployment, Party, Technology
from citywatch.commons.models import ChangeProposal, Tip
from citywatch.commons.services import propose_change
from citywatch.core.public_keys import KEY_PATTERN
from citywatch.evidence import services as evidence_services
from citywatch.evidence.models import Citation
from citywatch.foi.models import FoiAttachment, FoiLaw, FoiMessage, FoiRequest
from citywatch.places.models import Country

pytestmark = pytest.mark.django_db

# Numbers far from any other in the demo: finding one in an answer means it was shown.
NUMBERS = {
    "requester": 731_415_901,
    "authority": 731_415_902,
    "deployment": 731_415_903,
    "party": 731_415_904,
    "component": 731_415_905,
    "citation": 731_415_906,
    "attachment": 731_415_907,
    "tip": 731_415_908,
    "proposal": 731_415_909,
}
# A select or hidden input of these names must never carry a number as its value.
KEYED_FIELDS = ("owner_team", "requester", "authority", "deployments", "vendor", "organisation")


@pytest.fixture
def scene(demo, teams, make_member):
    """Team A's private deal (a party, a component cited by a private document), its FOI
    request with a private reply document, a tip and a contributor's proposal, each with a
    distinctive number; a reviewer of team A (who also campaigns) and a contributor."""
    serbia = Country.objects.get(code="RS")
    requester = Organisation.objects.create(
        pk=NUMBERS["requester"], name="ZQ Watchers", slug="zq-watchers", kind="other"
    )
    teams["A"].organisation = requester
    teams["A"].save()
    authority = Organisation.objects.create(
        pk=NUMBERS["authority"],
        name="ZQ City Council",
        slug="zq-city-council",
        kind="authority",
        country=serbia,
        email="council@zq.example",
    )
    deal = Deployment.objects.create(
        pk=NUMBERS["deployment"],
        title="ZQ safe city",
        slug="zq-safe-city",
        summary="Cameras.",
        country=serbia,
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )
    Party.objects.create(pk=NUMBERS["party"], deployment=deal, organisation=authority, role="buyer")
    component = Component.objects.create(
        pk=NUMBERS["component"],
        deployment=deal,
        technology=Technology.objects.get(slug="cctv"),
        quantity=40,
        unit="cameras",
    )
    document = evidence_services.add_document(
        b"The city installed 40 cameras in 2021.",
        "zq-report.txt",
        title="ZQ report",
        kind="ngo_report",
        owner_team=teams["A"],
        visibility="private",
    )
    evidence_services.extract_text(document.document)
    Citation.objects.create(
        pk=NUMBERS["citation"],
        source=document,
        content_type=ContentType.objects.get_for_model(Component),
        object_id=component.pk,
        field_name="quantity",
        quote="The city installed 40 cameras in 2021.",
    )
    foi = FoiRequest.objects.create(
        title="ZQ contract",
        requester=requester,
        authority=authority,
        law=FoiLaw.objects.get(law_id="rs-2004"),
        owner_team=teams["A"],
        status="awaiting_response",
        sent_on=dt.date.today() - dt.timedelta(days=3),
        language="en",
        visibility="private",
    )
    message = FoiMessage.objects.create(
        request=foi, direction="in", kind="reply", on=dt.date.today(), body="Attached."
    )
    reply = evidence_services.add_document(
        make_pdf([["We attach the contract."]]),
        "reply.pdf",
        title="ZQ reply",
        kind="foi_response",
        owner_team=teams["A"],
        visibility="private",
    )
    attachment = FoiAttachment.objects.create(
        pk=NUMBERS["attachment"], message=message, source=reply, filename="reply.pdf"
    )
    Tip.objects.create(pk=NUMBERS["tip"], what="ZQ cameras seen", received_on=dt.date.today())
    contributor = make_member("contributor", "A")
    proposal = propose_change(deal, {"status": "deploying"}, user=contributor)
    ChangeProposal.objects.filter(pk=proposal.pk).update(id=NUMBERS["proposal"])
    reviewer = Client()
    reviewer.force_login(make_member("reviewer", "A"))
    return {
        "deal": deal,
        "document": document,
        "foi": foi,
        "attachment": attachment,
        "tip": Tip.objects.get(pk=NUMBERS["tip"]),
        "proposal": ChangeProposal.objects.get(pk=NUMBERS["proposal"]),
        "reviewer": reviewer,
        "contributor": contributor,
    }


def member_pages(scene) -> list[str]:
    deal, foi = scene["deal"], scene["foi"]
    return [
        "/foi/new/",
        f"/foi/new/?deployment={deal.slug}",
        "/foi/new/?authority=zq-city-council",
        "/foi/calendars/",
        f"/foi/{foi.key}/",
        "/review/",
        f"/review/proposals/{scene['proposal'].key}/",
        f"/review/tips/{scene['tip'].key}/",
        f"/deployments/{deal.slug}/history/",
        f"/deployments/{deal.slug}/edit/",
        f"/sources/{scene['document'].key}/text/?deployment={deal.slug}",
        "/account/",
    ]


def numbered_values(html: str) -> list[str]:
    """Values of the keyed fields' options and inputs, of hidden row ids of the deal form,
    and of the cite panel's facts, that are (or hold) a database number."""
    found: list[str] = []
    for name, body in re.findall(r'<select name="([\w-]+)"[^>]*>(.*?)</select>', html, re.S):
        if name.rsplit("-", 1)[-1] in KEYED_FIELDS:
            found += [f"{name}={v}" for v in re.findall(r'<option value="(\d+)"', body)]
    for name, value in re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', html):
        last = name.rsplit("-", 1)[-1]
        if (last in KEYED_FIELDS or last == "id" or name == "attachment") and value.isdigit():
            found.append(f"{name}={value}")
    found += re.findall(r'<option value="(\w+:\d+:\w*)"', html)  # a fact by its number
    return found


def test_member_pages_show_no_number_of_a_hideable_record(scene):
    for url in member_pages(scene):
        response = scene["reviewer"].get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        shown = [name for name, number in NUMBERS.items() if str(number) in html]
        assert shown == [], (url, shown)
        assert numbered_values(html) == [], url


def test_forms_offer_slugs_and_prefill_by_slug(scene):
    page = scene["reviewer"].get(f"/foi/new/?deployment={scene['deal'].slug}").content.decode()
    assert '<option value="zq-safe-city" selected>' in page
    assert '<option value="zq-city-council" selected>' in page
    assert '<option value="zq-watchers" selected>' in page
    assert '<option value="share" selected>' in page
    calendars = scene["reviewer"].get("/foi/calendars/").content.decode()
    assert 'name="organisation" value="zq-watchers"' in calendars
    cite = scene["reviewer"].get(
        f"/sources/{scene['document'].key}/text/?deployment={scene['deal'].slug}"
    )
    assert re.search(r'<option value="component:[0-9a-f]{12}:quantity"', cite.content.decode())


def test_a_request_is_filed_with_slugs_and_not_with_numbers(scene):
    values = {
        "requester": "zq-watchers",
        "authority": "zq-city-council",
        "law": FoiLaw.objects.get(law_id="rs-2004").pk,
        "deployments": ["zq-safe-city"],
        "title": "ZQ cameras",
        "language": "en",
        "since": 2015,
        "questions": "The contract.",
        "visibility": "private",
    }
    numbers = values | {
        "requester": NUMBERS["requester"],
        "authority": NUMBERS["authority"],
        "deployments": [NUMBERS["deployment"]],
    }
    refused = scene["reviewer"].post("/foi/new/", numbers)
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"requester", "authority", "deployments"}
    assert scene["reviewer"].post("/foi/new/", values).status_code == 302
    filed = FoiRequest.objects.get(title="ZQ cameras")
    assert (filed.authority_id, list(filed.deployments.values_list("pk", flat=True))) == (
        NUMBERS["authority"],
        [NUMBERS["deployment"]],
    )


def test_a_reply_document_is_published_by_its_source_key(scene):
    foi, attachment = scene["foi"], scene["attachment"]
    page = scene["reviewer"].get(f"/foi/{foi.key}/").content.decode()
    assert f'name="attachment" value="{attachment.source.key}"' in page
    by_number = scene["reviewer"].post(f"/foi/{foi.key}/publish/", {"attachment": attachment.pk})
    assert by_number.status_code != 302
    attachment.source.refresh_from_db()
    assert attachment.source.visibility == "private"
    by_key = {"attachment": str(attachment.source.key)}
    assert scene["reviewer"].post(f"/foi/{foi.key}/publish/", by_key).status_code == 302
    attachment.source.refresh_from_db()
    assert attachment.source.visibility == "public"


def test_review_addresses_take_keys_and_numbers_are_404(scene):
    reviewer, tip, proposal = scene["reviewer"], scene["tip"], scene["proposal"]
    assert KEY_PATTERN.fullmatch(tip.key) and KEY_PATTERN.fullmatch(proposal.key)
    queue = reviewer.get("/review/").content.decode()
    assert f'href="/review/proposals/{proposal.key}/"' in queue
    assert f'href="/review/tips/{tip.key}/"' in queue
    assert f"Tip #{tip.key}" in reviewer.get(f"/review/tips/{tip.key}/").content.decode()
    for url in (
        f"/review/proposals/{proposal.pk}/",
        f"/review/tips/{tip.pk}/",
        f"/review/tips/{tip.pk}/file/",
    ):
        assert reviewer.get(url).status_code == 404, url
    seen = json.dumps({"status": "announced"})
    applied = reviewer.post(
        f"/review/proposals/{proposal.key}/", {"apply": "1", "seen_values": seen}
    )
    assert applied.status_code == 302
    assert Deployment.objects.get(pk=NUMBERS["deployment"]).status == "deploying"


def test_a_version_is_reverted_by_its_shown_id_not_its_number(scene):
    deal, reviewer = scene["deal"], scene["reviewer"]
    deal.title = "ZQ renamed"
    deal.save()  # a second version
    first = deal.history.earliest()
    page = reviewer.get(f"/deployments/{deal.slug}/history/").content.decode()
    actions = re.findall(r'action="(/deployments/[^"]+/revert/)"', page)
    assert actions and not [a for a in actions if re.search(r"/history/\d+/", a)]
    numeric = f"/deployments/{deal.slug}/history/{first.history_id}/revert/"
    assert reviewer.post(numeric).status_code == 404
    assert reviewer.post(actions[-1]).status_code == 302  # the earliest version, listed last
    assert Deployment.objects.get(pk=deal.pk).title == "ZQ safe city"


def test_the_deal_form_saves_rows_named_by_their_shown_ids(scene):
    """The deal form's rows carry HMAC ids, matched back among the deal's own rows: changing
    the component's quantity and its citation's locator changes those records."""
    deal, reviewer = scene["deal"], scene["reviewer"]
    values = open_page(reviewer, f"/deployments/{deal.slug}/edit/")
    assert re.fullmatch(r"[0-9a-f]{12}", values["components-0-id"])
    assert re.fullmatch(r"[0-9a-f]{12}", values["components-0-citations-0-id"])
    values["components-0-quantity"] = "45"
    values["components-0-citations-0-locator"] = "p. 3"
    response = reviewer.post(f"/deployments/{deal.slug}/edit/", values)
    assert response.status_code == 302
    assert Component.objects.get(pk=NUMBERS["component"]).quantity == 45
    assert Citation.objects.get(pk=NUMBERS["citation"]).locator == "p. 3"
    assert Component.objects.filter(deployment=deal).count() == 1
    assert Citation.objects.filter(object_id=NUMBERS["component"]).count() == 1


def test_the_api_answers_a_proposal_with_its_key(scene):
    token = create_token(scene["contributor"], "t", "write")[1]
    response = Client().patch(
        f"/api/deployments/{scene['deal'].slug}",
        data=json.dumps({"status": "operational"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202
    answer = response.json()
    made = ChangeProposal.objects.exclude(pk=NUMBERS["proposal"]).get()
    assert answer["proposal"] == made.key
    assert isinstance(answer["proposal"], str) and KEY_PATTERN.fullmatch(answer["proposal"])
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]["ProposalOut"]
    assert schema["properties"]["proposal"]["type"] == "string"


def test_an_api_token_is_revoked_by_its_shown_id_not_its_number(scene):
    """Token numbers would count everyone's tokens: the revoke button posts an HMAC id."""
    client = Client()
    client.force_login(scene["contributor"])
    token = create_token(scene["contributor"], "laptop", "read")[0]
    ApiToken = type(token)
    ApiToken.objects.filter(pk=token.pk).update(id=731_415_910)
    token = ApiToken.objects.get(pk=731_415_910)
    page = client.get("/account/tokens/").content.decode()
    assert "731415910" not in page
    assert f'action="/account/tokens/{token.shown_id}/revoke/"' in page
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.is_active
    client.post(f"/account/tokens/{token.shown_id}/revoke/")
    token.refresh_from_db()
    assert not token.is_active


@pytest.mark.parametrize("field", ["components-0-id", "components-0-citations-0-id"])
@pytest.mark.parametrize("given", ["number", "another deal's row"])
def test_a_row_id_the_page_did_not_show_is_refused(scene, field, given):
    """Review 5: an id that names no row of this deal (a number, another record's row, a row
    removed meanwhile) is refused with a message, never taken as a new row."""
    deal, reviewer = scene["deal"], scene["reviewer"]
    values = open_page(reviewer, f"/deployments/{deal.slug}/edit/")
    from citywatch.atlas.deal_form import row_id

    other = Citation.objects.exclude(object_id=deal.pk).order_by("pk").first()
    values[field] = str(NUMBERS["citation"]) if given == "number" else row_id("citation", other.pk)
    before = (Component.objects.count(), Citation.objects.count())
    response = reviewer.post(f"/deployments/{deal.slug}/edit/", values)
    assert response.status_code == 400  # the page again, with the row's problem
    assert "no longer part of this deal" in response.content.decode()
    assert (Component.objects.count(), Citation.objects.count()) == before
