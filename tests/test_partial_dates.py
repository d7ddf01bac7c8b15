import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from citywatch.atlas.models import Event
from citywatch.core.partial_dates import PartialDate, validate_partial_date


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2019", "year"), ("2021-03", "month"), ("2019-11-19", "day"), ("2024-02-29", "day")],
)
def test_parse_keeps_precision(text, precision):
    value = PartialDate.parse(text)
    assert value.precision == precision
    assert value.isoformat() == text


@pytest.mark.parametrize(
    "text", ["19", "2019-13", "2019-02-30", "2023-02-29", "March 2021", "2019-1"]
)
def test_invalid_partial_dates_are_rejected(text):
    with pytest.raises(ValidationError):
        validate_partial_date(text)


def test_display_is_as_precise_as_the_date():
    with translation.override("en"):
        assert PartialDate.parse("2019").display() == "2019"
        assert PartialDate.parse("2021-03").display() == "March 2021"
        assert PartialDate.parse("2019-11-19").display() == "Nov. 19, 2019"
    with translation.override("es"):
        assert PartialDate.parse("2021-03").display().lower() == "marzo de 2021"


def test_period_bounds():
    assert str(PartialDate.parse("2024-02").last_day()) == "2024-02-29"
    assert str(PartialDate.parse("2019").first_day()) == "2019-01-01"


@pytest.mark.django_db
def test_partial_dates_sort_correctly_in_the_database(demo):
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    for date in ["2020", "2019-11-19", "2019", "2019-03", "2019-11", "2018-12-31"]:
        Event.objects.create(deployment=deployment, date=date, kind="other", title=f"at {date}")
    dates = list(
        Event.objects.filter(title__startswith="at ")
        .order_by("date")
        .values_list("date", flat=True)
    )
    assert dates == ["2018-12-31", "2019", "2019-03", "2019-11", "2019-11-19", "2020"]


@pytest.mark.django_db
def test_model_validation_rejects_bad_partial_date(demo):
    from citywatch.atlas.models import Deployment

    event = Event(
        deployment=Deployment.objects.get(slug="belgrade-safe-city"),
        date="2019-02-31",
        kind="other",
        title="impossible",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict
