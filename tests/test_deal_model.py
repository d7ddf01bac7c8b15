from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from citywatch.atlas.models import Component, Deployment, Money, Party, Technology
from citywatch.evidence.models import Citation

pytestmark = pytest.mark.django_db


def test_taxonomy_is_shipped_as_data():
    slugs = set(Technology.objects.values_list("slug", flat=True))
    assert {"cctv", "facial-recognition", "broadband-trunking", "5g", "e-government"} <= slugs
    assert {"traffic-cameras", "video-storage", "smart-city-platform"} <= slugs
    assert Technology.objects.count() == 18


def test_quantity_needs_a_unit_and_must_be_positive(demo):
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    cctv = Technology.objects.get(slug="cctv")
    with pytest.raises(ValidationError) as error:
        Component(deployment=deployment, technology=cctv, quantity=5).full_clean()
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Component(deployment=deployment, technology=cctv, quantity=0, unit="cameras").full_clean()
    assert "quantity" in error.value.message_dict


def test_quantity_label_keeps_the_qualifier(demo):
    belgrade = Component.objects.get(deployment__slug="belgrade-safe-city")
    assert belgrade.quantity_label() == "about 1,000 cameras"
    naypyidaw = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="cctv"
    )
    assert naypyidaw.quantity_label() == "335 cameras"


def test_money_needs_a_currency_and_a_valid_code(demo):
    deployment = Deployment.objects.get(slug="valenciennes-cameras")
    with pytest.raises(ValidationError) as error:
        Money(deployment=deployment, amount=Decimal("10"), financing="loan").full_clean()
    assert "currency" in error.value.message_dict
    with pytest.raises(ValidationError):
        Money(deployment=deployment, amount=Decimal("10"), currency="eur").full_clean()


def test_party_end_cannot_precede_start(demo):
    party = Party.objects.get(deployment__slug="valenciennes-cameras", role="donor")
    party.ended_on = "2016"
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "ended_on" in error.value.message_dict


def test_locality_must_be_in_the_deployment_country(demo):
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    deployment.country_id = "FR"
    with pytest.raises(ValidationError) as error:
        deployment.full_clean()
    assert "locality" in error.value.message_dict


def test_citation_field_must_exist_on_the_record(demo):
    component = Component.objects.get(deployment__slug="belgrade-safe-city")
    citation = Citation.objects.filter(component=component).first()
    citation.field_name = "no_such_field"
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "field_name" in error.value.message_dict
