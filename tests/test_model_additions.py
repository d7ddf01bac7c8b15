"""What researchers needed to say and could not: loan terms, approximate amounts and ranges,
planned and installed counts of one component, the language of a quote."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from citywatch.atlas.models import Component, Deployment, Money, Technology
from citywatch.evidence.models import Citation

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(db):
    return Deployment.objects.create(
        title="Lusaka", slug="lusaka", country_id="ZM", status="deploying", certainty="reported"
    )


def test_a_loan_keeps_its_terms_and_says_them(deal):
    loan = Money(
        deployment=deal,
        amount=Decimal("126000000"),
        amount_qualifier="about",
        currency="USD",
        financing="loan",
        interest_rate=Decimal("2.5"),
        maturity_months=240,
        grace_period_months=60,
    )
    loan.full_clean()
    assert loan.amount_label() == "about 126,000,000 USD"
    assert loan.loan_terms_label() == "2.5% a year · repaid over 240 months · 60 months of grace"
    loan.grace_period_months = 300
    with pytest.raises(ValidationError) as error:
        loan.full_clean()
    assert "grace_period_months" in error.value.message_dict


def test_loan_terms_are_for_loans_and_a_range_runs_upward(deal):
    purchase = Money(deployment=deal, financing="purchase", interest_rate=Decimal("3"))
    with pytest.raises(ValidationError) as error:
        purchase.full_clean()
    assert "financing" in error.value.message_dict
    ranged = Money(
        deployment=deal,
        amount=Decimal("3000000"),
        amount_max=Decimal("2000000"),
        currency="EUR",
        financing="purchase",
    )
    with pytest.raises(ValidationError) as error:
        ranged.full_clean()
    assert "amount_max" in error.value.message_dict
    ranged.amount, ranged.amount_max = Decimal("2000000"), Decimal("3000000")
    ranged.full_clean()
    assert ranged.amount_label() == "2,000,000–3,000,000 EUR"


def test_planned_and_installed_counts_are_two_figures_of_one_component(deal):
    component = Component(
        deployment=deal,
        technology=Technology.objects.get(slug="cctv"),
        quantity=1000,
        planned_quantity=1500,
        unit="cameras",
    )
    component.full_clean()
    assert component.quantity_label() == "1,000 cameras"
    assert component.planned_label() == "1,500 cameras planned"
    component.unit = ""
    with pytest.raises(ValidationError):
        component.full_clean()


def test_a_quote_has_a_language_code(deal):
    from django.contrib.contenttypes.models import ContentType

    from citywatch.evidence.models import Source

    source = Source.objects.create(title="Politika", kind="media")
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(Deployment),
        object_id=deal.pk,
        quote="Hiljadu kamera",
        language="sr-Latn",
    )
    citation.full_clean()
    citation.language = "Serbian please"
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "language" in error.value.message_dict


def test_the_deployment_page_shows_the_new_fields(client, deal):
    from django.contrib.contenttypes.models import ContentType

    from citywatch.evidence.models import Source
    from citywatch.places.models import Locality

    deal.locality = Locality.objects.create(
        name="Hollowbrook Gap",
        country_id="ZM",
        latitude=Decimal("-15.4"),
        longitude=Decimal("28.3"),
        approximate=True,
    )
    deal.save()
    component = Component.objects.create(
        deployment=deal,
        technology=Technology.objects.get(slug="traffic-cameras"),
        quantity=1000,
        planned_quantity=1500,
        unit="cameras",
    )
    Money.objects.create(
        deployment=deal,
        amount=Decimal("126000000"),
        amount_qualifier="about",
        currency="USD",
        financing="loan",
        interest_rate=Decimal("2.5"),
        maturity_months=240,
    )
    source = Source.objects.create(title="Politika", kind="media")
    Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(Component),
        object_id=component.pk,
        field_name="quantity",
        quote="Hiljadu kamera",
        language="sr-Latn",
    )
    with translation.override("en"):
        page = client.get("/deployments/lusaka/").content.decode()
    assert "approximate location" in page
    assert "Traffic cameras: 1,000 cameras" in page
    assert "1,500 cameras planned" in page
    assert "about 126,000,000 USD" in page
    assert "2.5% a year · repaid over 240 months" in page
    assert '<blockquote dir="auto" lang="sr-Latn">Hiljadu kamera</blockquote>' in page
    popup = client.get(f"/map/deployments/{deal.slug}.json")
    assert popup.json()["place"] == "Hollowbrook Gap (approximate location), Zambia"
