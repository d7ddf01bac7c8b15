"""The report's three FOI stories, their timelines and where they show."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.template import Context, Template

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.foi.models import FoiAttachment, FoiEvent, FoiMessage, FoiRequest
from citywatch.foi.queries import transparency_figures
from citywatch.places.models import Country
from citywatch.seed.foi_stories import load_foi_demo
from citywatch.seed.loader import REPORT_FILE, load_demo

pytestmark = pytest.mark.django_db

REPORT = "Mapping Huawei’s Smart Cities creep"


def story(authority_slug: str) -> FoiRequest:
    return FoiRequest.objects.get(authority__slug=authority_slug)


def foi_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"foi", "evidence", "actors", "atlas"}
    }


def test_three_stories_with_their_outcomes(demo):
    rivas = story("ayuntamiento-rivas-vaciamadrid")
    assert (rivas.requester.slug, rivas.law.law_id, rivas.status, rivas.resolution) == (
        "privacy-international",
        "es-md-10-2019",
        "resolved",
        "deemed_refused",
    )
    assert [q.number for q in rivas.questions.all()] == [1, 2, 3, 4]
    assert "contracts" in rivas.questions.get(number=1).text
    assert "brochures" in rivas.questions.get(number=2).text
    assert "impact assessments" in rivas.questions.get(number=3).text
    assert "smart video analysis" in rivas.questions.get(number=4).text
    assert rivas.messages.filter(kind="follow_up").exists()
    barcelona = story("barcelona-city-council")
    assert (barcelona.status, barcelona.resolution) == ("resolved", "successful")
    letter = FoiAttachment.objects.get(message__request=barcelona).source
    assert (letter.kind, letter.publisher) == ("foi_response", "Barcelona City Council")
    serbia = story("ministry-of-interior-serbia")
    assert (serbia.requester.slug, serbia.law.law_id, serbia.resolution) == (
        "share-foundation",
        "rs-2004",
        "refused",
    )
    for request in (rivas, barcelona, serbia):
        # Requesters are organisations, never people; no date is invented.
        assert request.requester.kind == "other"
        assert request.sent_on is None and request.due_on is None
        assert request.date_note
        assert request.visibility == "public"


def test_every_fact_cites_the_report(demo):
    report = REPORT_FILE.read_text(encoding="utf-8")
    records = [*FoiRequest.objects.all(), *FoiEvent.objects.all(), *FoiMessage.objects.all()]
    assert len(records) == 3 + 9 + 6
    for record in records:
        assert record.source.title == REPORT, record
        assert record.quote and record.quote in report, record
    for question in story("ayuntamiento-rivas-vaciamadrid").questions.all():
        for line in question.text.splitlines():
            assert line in report, line


def test_loading_twice_changes_nothing(db):
    load_demo()
    counts = foi_counts()
    assert load_foi_demo() == {}
    assert load_demo() == {}
    assert foi_counts() == counts


def test_rivas_page_shows_the_claim_deadline_rule(client, demo):
    rivas = story("ayuntamiento-rivas-vaciamadrid")
    html = client.get(f"/foi/{rivas.key}/").content.decode()
    assert "Deemed refused" in html
    assert "Claim (reclamación) against the deemed refusal" in html
    assert "Time limit: 1 month from when the deadline for an answer passed." in html
    assert "Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid" in html
    assert "Despite our multiple follow-ups, we never received a response" in html
    assert "gives no dates" in html
    assert "Not verified" in html


def test_serbia_page_shows_the_complaint_to_the_commissioner(client, demo):
    html = client.get(f"/foi/{story('ministry-of-interior-serbia').key}/").content.decode()
    assert "Refused" in html
    assert "protected as “confidential”" in html
    assert "Commissioner" in html


def test_barcelona_page_links_the_letter_as_a_source(client, demo):
    barcelona = story("barcelona-city-council")
    letter = FoiAttachment.objects.get(message__request=barcelona).source
    html = client.get(f"/foi/{barcelona.key}/").content.decode()
    assert letter.get_absolute_url() in html
    assert "Successful" in html


def test_transparency_figures_per_country_and_authority(demo):
    spain = transparency_figures(country=Country.objects.get(code="ES"))
    assert spain.as_dict() == {
        "requests": 2,
        "answered_on_time": 0,
        "answered_late": 0,
        "answered_timing_unknown": 1,
        "ignored": 1,
        "waiting": 0,
        "successful": 1,
        "partially_successful": 0,
        "refused": 0,
        "not_held": 0,
        "ground_confidentiality": 0,
        "ground_personal_data": 0,
        "ground_commercial_interest": 0,
        "ground_not_held": 0,
        "ground_cost": 0,
        "ground_other": 0,
    }
    serbia = transparency_figures(country=Country.objects.get(code="RS"))
    assert (serbia.requests, serbia.count("refused")) == (1, 1)
    # The ministry's "confidential" is the refusal's ground, and the figures show it.
    assert serbia.ground("confidentiality") == 1
    assert [figure.key for figure in serbia.grounds_given] == ["confidentiality"]
    rivas = transparency_figures(
        authority=Organisation.objects.get(slug="ayuntamiento-rivas-vaciamadrid")
    )
    assert (rivas.requests, rivas.count("ignored")) == (1, 1)


def test_includes_for_the_atlas_pages(demo):
    html = Template(
        "{% load foi %}{% foi_transparency country=spain %}"
        "{% foi_transparency authority=rivas %}{% foi_deployment_requests deployment %}"
    ).render(
        Context(
            {
                "spain": Country.objects.get(code="ES"),
                "rivas": Organisation.objects.get(slug="ayuntamiento-rivas-vaciamadrid"),
                "deployment": Deployment.objects.get(slug="rivas-vaciamadrid-elte"),
            }
        )
    )
    assert "Ignored (no answer; deemed refused)" in html
    assert "<svg" in html and 'width="100"' in html and 'width="50"' in html
    assert "style=" not in html and "<script" not in html
    assert "Huawei contracts, brochures, impact assessments" in html
    # The "ask" links are for campaigners only.
    assert "/foi/new/" not in html


def test_list_page_shows_the_stories_and_the_chart(client, demo):
    html = client.get("/foi/").content.decode()
    for authority in ("Ayuntamiento de Rivas-Vaciamadrid", "Barcelona City Council"):
        assert authority in html
    assert "3 public requests recorded." in html
    assert "<svg" in html
