"""``core.bulk.check_new`` checks plain text fields itself (``PlainText``): for every value,
it must take or refuse a record exactly as ``full_clean`` does, with Django's messages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from citywatch.atlas.models import Deployment, Event, Party
from citywatch.core import bulk
from citywatch.places.models import Country


def full_clean_errors(record) -> dict | None:
    try:
        record.full_clean(
            exclude=bulk.relation_names(type(record)),
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return error.message_dict
    return None


def check_new_errors(record) -> dict | None:
    try:
        bulk.check_new(record)
    except ValidationError as error:
        return error.message_dict
    return None


def test_plain_texts_are_the_simple_text_fields():
    names = {text.name for text in bulk.plain_texts(Deployment)}
    assert {"title", "summary", "status", "certainty", "visibility"} <= names
    assert "slug" not in names  # a slug's pattern: Django's own check
    assert "started_on" not in {text.name for text in bulk.plain_texts(Party)}  # partial date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Cameras"),
        ("title", "x" * 301),  # longer than the column
        ("title", ""),  # blank where it may not be
        ("title", "Nul\x00byte"),
        ("title", 12),  # not a string
        ("status", "operational"),
        ("status", "sold"),  # not a choice
        ("summary", ""),
        ("certainty", Deployment._meta.get_field("certainty").choices[0][0]),
    ],
)
def test_check_new_agrees_with_full_clean(field, value):
    country = Country.objects.order_by("code").first()
    certainty = Deployment._meta.get_field("certainty").choices[0][0]
    made = {}
    for way in ("full", "bulk"):
        deployment = Deployment(
            title="Cameras",
            slug="cameras",
            status="operational",
            certainty=certainty,
            country=country,
        )
        setattr(deployment, field, value)
        made[way] = deployment
    assert check_new_errors(made["bulk"]) == full_clean_errors(made["full"])
    assert getattr(made["bulk"], field) == getattr(made["full"], field)


@pytest.mark.django_db
def test_a_choice_given_as_its_enum_member_passes_as_django_takes_it():
    event = Event(kind=Event._meta.get_field("kind").choices[0][0], title="Signed")
    member = type(Deployment().visibility)
    assert isinstance(Deployment().visibility, member)  # the default is a TextChoices member
    text = next(t for t in bulk.plain_texts(Deployment) if t.name == "visibility")
    assert text.passes(Deployment().visibility)
    assert not text.passes("nobody")
    assert check_new_errors(event) == full_clean_errors(event)
