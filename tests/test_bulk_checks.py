"""``core.bulk.check_new`` checks plain fields itself (``plain_checks``: texts, whole numbers,
empty values Django skips): for every value, it must take or refuse a record exactly as
``full_clean`` does, with Django's messages, and leave the value as Django leaves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from citywatch.atlas.models import Component, Deployment, Event, Money, Party
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


def plain_texts(model) -> list:
    return [check for check in bulk.plain_checks(model) if isinstance(check, bulk.PlainText)]


def test_plain_texts_are_the_simple_text_fields():
    names = {text.name for text in plain_texts(Deployment)}
    assert {"title", "summary", "status", "certainty", "visibility"} <= names
    assert "slug" in names  # its pattern checked here by the same RegexValidator
    assert "started_on" not in {text.name for text in plain_texts(Party)}  # partial date
    checks = {check.name: type(check) for check in bulk.plain_checks(Component)}
    assert checks["quantity"] is bulk.PlainInteger
    checks = {check.name: type(check) for check in bulk.plain_checks(Money)}
    assert checks["amount"] is bulk.EmptyOnly  # a decimal: only its empty value is skipped


CERTAINTY = Deployment._meta.get_field("certainty").choices[0][0]


def deployment(country) -> Deployment:
    return Deployment(
        title="Cameras", slug="cameras", status="operational", certainty=CERTAINTY, country=country
    )


def component(country) -> Component:
    return Component(quantity=10, unit="cameras", certainty=CERTAINTY)


def money(country) -> Money:
    return Money(
        financing="purchase", amount=Decimal("1000.00"), currency="USD", certainty=CERTAINTY
    )


CASES = [
    (deployment, "title", "Cameras"),
    (deployment, "title", "x" * 301),  # longer than the column
    (deployment, "title", ""),  # blank where it may not be
    (deployment, "title", "Nul\x00byte"),
    (deployment, "title", 12),  # not a string
    (deployment, "title", None),
    (deployment, "status", "operational"),
    (deployment, "status", "sold"),  # not a choice
    (deployment, "summary", ""),
    (deployment, "summary", None),  # may be blank: skipped by Django
    (deployment, "certainty", CERTAINTY),
    (deployment, "slug", "safe-city-2"),
    (deployment, "slug", "not a slug!"),  # the slug pattern (RegexValidator)
    (deployment, "slug", "x" * 201),
    (deployment, "first_year", None),
    (deployment, "first_year", 2019),
    (deployment, "first_year", -1),  # below the positive range
    (deployment, "first_year", 70_000),  # above the small integer range
    (deployment, "first_year", "2019"),  # a text: Django turns it into a number
    (deployment, "first_year", True),  # a bool is not taken as a number here
    (deployment, "embargo_until", None),
    (deployment, "embargo_until", ""),
    (deployment, "embargo_until", dt.date(2031, 1, 1)),
    (deployment, "embargo_until", "2031-13-01"),  # not a date
    (component, "quantity", 0),
    (component, "quantity", -5),
    (component, "quantity", None),
    (component, "quantity", 3_000_000_000),  # above the column's range
    (component, "unit", ""),  # the model's clean: a quantity needs a unit
    (money, "currency", "USD"),
    (money, "currency", "usd!"),  # not a currency code (RegexValidator)
    (money, "currency", "USD\n"),  # "$" would take a trailing newline: the pattern ends at \Z
    (money, "currency", ""),  # the model's clean: an amount needs a currency
    (money, "amount", Decimal("12345678901234567890.00")),  # too many digits
    (money, "maturity_months", 12),  # loan terms on a purchase: the model's clean
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "field", "value"), CASES)
def test_check_new_agrees_with_full_clean(make, field, value):
    country = Country.objects.order_by("code").first()
    made = {}
    for way in ("full", "bulk"):
        record = make(country)
        setattr(record, field, value)
        made[way] = record
    assert check_new_errors(made["bulk"]) == full_clean_errors(made["full"])
    assert vars(made["bulk"]).keys() == vars(made["full"]).keys()
    for name, kept in vars(made["bulk"]).items():
        if name != "_state":
            assert kept == vars(made["full"])[name], name


@pytest.mark.django_db
def test_a_choice_given_as_its_enum_member_passes_as_django_takes_it():
    event = Event(kind=Event._meta.get_field("kind").choices[0][0], title="Signed")
    member = type(Deployment().visibility)
    assert isinstance(Deployment().visibility, member)  # the default is a TextChoices member
    text = next(t for t in plain_texts(Deployment) if t.name == "visibility")
    assert text.passes(Deployment().visibility)
    assert not text.passes("nobody")
    assert check_new_errors(event) == full_clean_errors(event)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Deployment, Party, Component, Money, Event])
def test_new_record_builds_the_instance_the_keyword_constructor_builds(model):
    """``core.bulk.new_record`` (Django's positional constructor) gives every attribute the
    keyword constructor gives, defaults included (a callable default called per record)."""
    values = {"certainty": CERTAINTY}
    if model is Deployment:
        values.update(title="Cameras", country_id="RS")
    if model is Party:
        values.update(organisation_id=7, started_on="2019")
    by_keywords, by_position = model(**values), bulk.new_record(model, values)
    state = vars(by_keywords).pop("_state"), vars(by_position).pop("_state")
    assert vars(by_position) == vars(by_keywords)
    assert state[1].adding and state[1].db is None
    again = bulk.new_record(model, values)
    for name, value in vars(by_position).items():
        if isinstance(value, dict | list):
            assert getattr(again, name) is not value  # a mutable default made per record
    # A value named otherwise than by an attribute takes the keyword way.
    if model is Deployment:
        country = Country.objects.get(code="RS")
        assert bulk.new_record(model, {"country": country}).country_id == "RS"


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        ("citywatch.actors.models.WIKIDATA_ID_VALIDATOR", "Q160120", "Q160120\n"),
        ("citywatch.atlas.models.CURRENCY_VALIDATOR", "EUR", "EUR\n"),
        ("citywatch.evidence.models.LANGUAGE_TAG_VALIDATOR", "sr-Latn", "en\n"),
    ],
)
def test_pattern_validators_refuse_a_trailing_newline(validator, good, bad):
    """Review 6, F4: Python's ``$`` matches before a final newline; the patterns end at ``\\Z``."""
    from django.utils.module_loading import import_string

    check = import_string(validator)
    check(good)
    with pytest.raises(ValidationError):
        check(bad)


def test_a_sources_language_is_checked_as_a_citations_is():
    """Review 7: a source's language had no check ("english!!" and "en\\n" were stored)."""
    from citywatch.evidence.models import Source

    field = Source._meta.get_field("language")
    for value in ("en", "sr-Latn", ""):
        field.clean(value, None)
    for value in ("english!!", "en\n"):
        with pytest.raises(ValidationError):
            field.clean(value, None)
