"""Writes and checks for places."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries.data import COUNTRIES

from citywatch.places.gazetteer import best_match

COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "countries.tsv"
KOSOVO = {"code": "XK", "alpha3": "XKX", "numeric": "", "english_name": "Kosovo"}


def country_reference_rows() -> list[dict[str, Any]]:
    """Every ISO 3166-1 country plus Kosovo, with codes and capital coordinates."""
    capitals = {
        row["code"]: row
        for row in csv.DictReader(COUNTRIES_FILE.open(encoding="utf-8"), delimiter="\t")
    }
    rows = []
    for code, english_name in sorted(COUNTRIES.items()):
        iso = pycountry.countries.get(alpha_2=code)
        rows.append(
            {
                "code": code,
                "alpha3": iso.alpha_3 if iso else "",
                "numeric": iso.numeric if iso else "",
                "english_name": str(english_name),
            }
        )
    rows.append(dict(KOSOVO))
    for row in rows:
        capital = capitals.get(row["code"], {})
        row["latitude"] = Decimal(capital["latitude"]) if capital.get("latitude") else None
        row["longitude"] = Decimal(capital["longitude"]) if capital.get("longitude") else None
    return rows


def sync_countries(country_model: Any) -> int:
    """Create or update every reference country; safe to run again. Returns the count."""
    rows = country_reference_rows()
    for row in rows:
        code = row.pop("code")
        country_model.objects.update_or_create(code=code, defaults=row)
    return len(rows)


def validate_subdivision(country_code: str | None, subdivision_code: str) -> None:
    if not subdivision_code:
        return
    subdivision = pycountry.subdivisions.get(code=subdivision_code.upper())
    if subdivision is None or subdivision.country_code != (country_code or "").upper():
        raise ValidationError(
            {
                "subdivision_code": _("%(code)s is not an ISO 3166-2 subdivision of this country.")
                % {"code": subdivision_code}
            }
        )


def fill_coordinates_from_gazetteer(locality: Any) -> bool:
    """Fill a locality's missing coordinates and GeoNames id from the city list.

    Returns True when the city was found. Coordinates typed by hand are never replaced.
    """
    if locality.latitude is not None and locality.longitude is not None:
        return False
    city = best_match(locality.name, locality.country_id)
    if city is None:
        return False
    locality.latitude = city.latitude
    locality.longitude = city.longitude
    if locality.geonames_id is None:
        locality.geonames_id = city.geonames_id
    return True
