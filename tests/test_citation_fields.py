"""The fields a citation may back are exactly the fields its record's page shows a footnote
beside (evidence.models.CITABLE_FIELDS), for every kind of record and every door that writes a
citation: the model's own check, the deal page, and the admin's citation inline, which offers
only those fields and checks a new citation as strictly as a saved one.

Issue 14: the source of "50 cameras" put where the admin's help text pointed (the deployment's
"quantity") was accepted when the citation was created and refused at the next save.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from citywatch.actors.models import Organisation
from citywatch.atlas.models import (
    Component,
    Deployment,
    Event,
    Money,
    Party,
    Technology,
    VendorClaim,
)
from citywatch.evidence.models import CITABLE_FIELDS, CITABLE_MODELS, Citation, Source
from citywatch.places.models import LegalCardEntry, Locality

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(demo) -> dict[str, object]:
    """One record of every citable kind, each with every citable fact filled in."""
    huawei = Organisation.objects.get(slug="huawei")
    bank = Organisation.objects.create(name="Test Bank", slug="test-bank", kind="financier")
    deployment = Deployment.objects.create(
        title="Test deal with every fact",
        slug="test-deal",
        country_id="RS",
        locality=Locality.objects.get(name="Belgrade"),
        status="operational",
        certainty="reported",
    )
    return {
        "atlas.deployment": deployment,
        "atlas.party": Party.objects.create(
            deployment=deployment, organisation=huawei, role="supplier"
        ),
        "atlas.component": Component.objects.create(
            deployment=deployment,
            technology=Technology.objects.get(slug="cctv"),
            quantity=50,
            planned_quantity=80,
            unit="cameras",
            supplier=huawei,
            facial_recognition="present",
            plate_recognition="present",
        ),
        "atlas.money": Money.objects.create(
            deployment=deployment,
            amount=1000000,
            currency="EUR",
            financing="loan",
            lender=bank,
            dated="2021",
        ),
        "atlas.event": Event.objects.create(
            deployment=deployment, date="2021-06", kind="installed", title="Installed"
        ),
        "atlas.vendorclaim": VendorClaim.objects.create(
            vendor=huawei, deployment=deployment, statement="Test claim", claimed_on="2021"
        ),
        "places.locality": deployment.locality,
        "places.legalcardentry": LegalCardEntry.objects.filter(country_id="RS").first(),
        "actors.organisation": huawei,
    }


def page_of(label: str, record: object) -> str:
    if label == "places.legalcardentry":
        return f"/countries/{record.country_id.lower()}/"
    if label == "actors.organisation":
        return f"/organisations/{record.slug}/"
    return "/deployments/test-deal/"


def test_the_rule_names_every_citable_kind_of_record():
    assert set(CITABLE_FIELDS) == set(CITABLE_MODELS)


def test_every_citable_fact_shows_its_footnote_on_its_page(records):
    source = Source.objects.create(title="Test source", kind="media")
    quotes = {}
    for label, fields in CITABLE_FIELDS.items():
        for field in ("", *fields):
            quote = f"Test quote for {label} {field or 'as a whole'}."
            Citation.objects.create(
                source=source, target=records[label], field_name=field, quote=quote
            )
            quotes[(label, field)] = quote
    client = Client()
    pages = {}
    for (label, field), quote in quotes.items():
        url = page_of(label, records[label])
        html = pages.setdefault(url, client.get(url).content.decode())
        assert quote in html, f"{label}.{field or '(whole record)'} is not shown on {url}"


def test_any_other_field_is_refused_with_the_fields_it_could_back(records):
    for label in CITABLE_MODELS:
        record = records[label]
        content_type = ContentType.objects.get_for_model(record)
        allowed = set(CITABLE_FIELDS[label])
        others = [
            field.name
            for field in type(record)._meta.get_fields()
            if field.concrete and field.name not in allowed
        ]
        assert others, label
        for name in others:
            citation = Citation(
                source=Source.objects.first(),
                content_type=content_type,
                object_id=record.pk,
                field_name=name,
            )
            with pytest.raises(ValidationError) as refused:
                citation.full_clean()
            assert "field_name" in refused.value.message_dict, (label, name)


def test_the_count_cited_on_the_deployment_itself_is_refused_and_says_where_it_belongs(demo):
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    citation = Citation(source=Source.objects.first(), target=deployment, field_name="quantity")
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert refused.value.message_dict["field_name"] == [
        "A source of a deployment can back Status, Locality, or the record as a whole; "
        "not quantity."
    ]


# --- the admin's citation inline -----------------------------------------------------------


def admin_form(html: str, form_id: str) -> dict[str, str]:
    document = lxml.html.fromstring(html)
    form = document.get_element_by_id(form_id)
    return {name: value.removeprefix("\n") for name, value in form.form_values()}


def field_name_options(html: str, prefix: str) -> list[str]:
    document = lxml.html.fromstring(html)
    select = document.get_element_by_id(f"id_{prefix}-0-field_name")
    return [option.get("value") for option in select.iter("option")]


CITATIONS = "evidence-citation-content_type-object_id"


def add_citation(values: dict[str, str], source: Source, field_name: str) -> dict[str, str]:
    index = int(values[f"{CITATIONS}-TOTAL_FORMS"])
    values.update(
        {
            f"{CITATIONS}-TOTAL_FORMS": str(index + 1),
            f"{CITATIONS}-{index}-source": str(source.pk),
            f"{CITATIONS}-{index}-field_name": field_name,
            f"{CITATIONS}-{index}-quote": "Fifty cameras were installed.",
        }
    )
    return values


def test_the_admin_offers_only_the_fields_of_the_record_kind(admin_client, records):
    source = Source.objects.create(title="Test source", kind="media")
    for label, fields in CITABLE_FIELDS.items():
        record = records[label]
        Citation.objects.create(source=source, target=record, quote="q")
        info = f"{record._meta.app_label}_{record._meta.model_name}"
        html = admin_client.get(reverse(f"admin:{info}_change", args=[record.pk])).content.decode()
        assert field_name_options(html, CITATIONS) == ["", *fields], label


def test_the_admin_refuses_a_wrong_field_when_the_citation_is_created(admin_client, demo):
    deployment = Deployment.objects.get(slug="valenciennes-cameras")
    url = reverse("admin:atlas_deployment_change", args=[deployment.pk])
    values = admin_form(admin_client.get(url).content.decode(), "deployment_form")
    before = Citation.objects.count()
    response = admin_client.post(url, add_citation(values, Source.objects.first(), "quantity"))
    assert response.status_code == 200  # the page again, with the problem
    assert "A source of a deployment can back Status, Locality" in response.content.decode()
    assert Citation.objects.count() == before


def test_the_admin_keeps_a_right_field_on_create_and_on_the_next_save(admin_client, demo):
    component = Component.objects.get(deployment__slug="valenciennes-cameras")
    url = reverse("admin:atlas_component_change", args=[component.pk])
    values = admin_form(admin_client.get(url).content.decode(), "component_form")
    source = Source.objects.create(title="Test source", kind="media")
    response = admin_client.post(url, add_citation(values, source, "quantity"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Citation.objects.filter(
        component=component, source=source, field_name="quantity"
    ).exists()
    values = admin_form(admin_client.get(url).content.decode(), "component_form")
    response = admin_client.post(url, values)  # the next save
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Citation.objects.filter(
        component=component, source=source, field_name="quantity"
    ).exists()
