from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from citywatch.places.gazetteer import best_match, find_cities
from citywatch.places.models import Country, Locality

pytestmark = pytest.mark.django_db


def test_every_iso_country_and_kosovo_exists():
    assert Country.objects.count() == 250  # 249 ISO 3166-1 entries + Kosovo
    kosovo = Country.objects.get(code="XK")
    assert kosovo.english_name == "Kosovo"
    assert Country.objects.get(code="MM").numeric == "104"


def test_country_names_are_translated():
    spain = Country.objects.get(code="ES")
    with translation.override("es"):
        assert spain.name == "España"
    with translation.override("fr"):
        assert spain.name == "Espagne"


def test_gazetteer_finds_kampala_and_naypyidaw_by_alternate_name():
    kampala = best_match("Kampala", "UG")
    assert (kampala.latitude, kampala.longitude) == (Decimal("0.31628"), Decimal("32.58219"))
    naypyidaw = best_match("Naypyidaw")
    assert naypyidaw.name == "Nay Pyi Taw"
    assert naypyidaw.country_code == "MM"
    assert best_match("rivas vaciamadrid", "ES").geonames_id == 3107112


def test_gazetteer_prefers_the_country_given():
    assert {c.country_code for c in find_cities("Barcelona")} >= {"ES", "VE"}
    assert best_match("Barcelona", "VE").country_code == "VE"


def test_locality_takes_coordinates_from_the_city_list():
    locality = Locality(name="Kampala", country_id="UG")
    locality.full_clean()
    assert locality.latitude == Decimal("0.31628")
    assert locality.geonames_id == 232422


def test_locality_not_in_the_list_needs_coordinates_by_hand():
    locality = Locality(name="Nowhere-on-the-list", country_id="UG")
    with pytest.raises(ValidationError) as error:
        locality.full_clean()
    assert "city list" in str(error.value)
    locality.latitude, locality.longitude = Decimal("0.5"), Decimal("32.1")
    locality.full_clean()


@pytest.mark.parametrize(("latitude", "longitude"), [("91", "0"), ("-90.5", "0"), ("0", "180.1")])
def test_coordinates_out_of_range_are_rejected(latitude, longitude):
    locality = Locality(
        name="Somewhere", country_id="UG", latitude=Decimal(latitude), longitude=Decimal(longitude)
    )
    with pytest.raises(ValidationError):
        locality.full_clean()


def test_subdivision_must_belong_to_the_country():
    locality = Locality(name="Kampala", country_id="UG", subdivision_code="ES-MD")
    with pytest.raises(ValidationError) as error:
        locality.full_clean()
    assert "subdivision_code" in error.value.message_dict
