"""The demo dataset: every case of the report, each fact cited with the report's sentence."""

from decimal import Decimal

import pytest
from django.apps import apps

from citywatch.atlas.models import Component, Deployment, Money, Party
from citywatch.evidence.models import Citation
from citywatch.seed.loader import REPORT_FILE, load_demo, read_demo_data

pytestmark = pytest.mark.django_db

CASES = {
    "naypyidaw-safe-city": "Naypyidaw",
    "mandalay-safe-city": "Mandalay",
    "yangon-safe-city": "Yangon",
    "kampala-highway-cctv": "Kampala",
    "belgrade-safe-city": "Belgrade",
    "rivas-vaciamadrid-elte": "Rivas-Vaciamadrid",
    "barcelona-letter-of-intention": "Barcelona",
    "valenciennes-cameras": "Valenciennes",
}
CITED_MODELS = [
    "deployment",
    "party",
    "component",
    "money",
    "event",
    "vendorclaim",
    "legalcardentry",
]


def record_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"places", "actors", "atlas", "evidence"}
    }


def test_every_quote_is_a_sentence_of_the_report():
    report = REPORT_FILE.read_text(encoding="utf-8")
    quotes = []

    def collect(node):
        if isinstance(node, dict):
            quotes.extend(c["quote"] for c in node.get("cite", []) if c.get("quote"))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(read_demo_data())
    assert len(quotes) > 40
    assert [q for q in quotes if q not in report] == []


def test_loading_twice_duplicates_nothing(db):
    first = load_demo()
    counts = record_counts()
    second = load_demo()
    assert record_counts() == counts
    assert sum(first.values()) > 100
    assert dict(second) == {}


def test_every_case_of_the_report_is_there(demo):
    places = dict(Deployment.objects.values_list("slug", "locality__name"))
    assert places == CASES


def test_every_fact_cites_the_report_or_a_legal_text(demo):
    for label in CITED_MODELS:
        model = apps.get_model(
            {"legalcardentry": "places", "vendorclaim": "atlas"}.get(label, "atlas"), label
        )
        for record in model.objects.all():
            assert Citation.objects.filter(
                content_type__model=label, object_id=record.pk
            ).exists(), f"{label} {record} has no source"


def test_key_figures(demo):
    naypyidaw = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="cctv"
    )
    assert (naypyidaw.quantity, naypyidaw.unit, naypyidaw.supplier.slug) == (
        335,
        "cameras",
        "huawei",
    )
    analytics = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="video-analytics"
    )
    assert (analytics.facial_recognition, analytics.plate_recognition) == ("present", "present")
    valenciennes = Component.objects.get(deployment__slug="valenciennes-cameras")
    assert (valenciennes.quantity, valenciennes.facial_recognition) == (240, "not_in_use")
    money = Money.objects.get(deployment__slug="valenciennes-cameras")
    assert (money.amount, money.currency, money.dated, money.financing) == (
        Decimal("2000000"),
        "EUR",
        "2017",
        "donation",
    )
    belgrade = Component.objects.get(deployment__slug="belgrade-safe-city")
    assert (belgrade.quantity, belgrade.quantity_qualifier) == (1000, "about")
    rivas = Component.objects.get(deployment__slug="rivas-vaciamadrid-elte")
    assert rivas.technology.slug == "broadband-trunking"
    barcelona = Deployment.objects.get(slug="barcelona-letter-of-intention")
    assert barcelona.status == "agreement_signed"
    assert barcelona.events.get(kind="agreement_signed").date == "2019-11"


def test_planned_cases_are_not_marked_operational(demo):
    for slug in ["mandalay-safe-city", "yangon-safe-city"]:
        deployment = Deployment.objects.get(slug=slug)
        assert deployment.status == "announced"
        assert deployment.certainty == "reported"
        assert not Party.objects.filter(deployment=deployment, role="supplier").exists()


def test_huawei_claim_and_myanmar_legal_card(demo):
    from citywatch.atlas.models import VendorClaim
    from citywatch.places.models import LegalCardEntry

    claim = VendorClaim.objects.get(vendor__slug="huawei", deployment__isnull=True)
    assert "more than 160" in claim.statement
    assert "over 100 countries" in claim.statement
    myanmar = LegalCardEntry.objects.get(country="MM", topic="data_protection_law")
    assert (myanmar.status, myanmar.as_of) == ("none", "2021")
