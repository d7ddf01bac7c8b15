"""Writes and checks for places, and the one place resolver.

``resolve_place`` and ``locate`` decide where a named place is, for every door that places a
record: the admin's locality form, tip review, the API and every import format. They match a
name with its country *and* first-level region (and coordinates when given) against the shipped
place list (GeoNames, with alternate names and accents folded), never guess between namesakes,
and place an unknown town at its region or country, marked approximate.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries.data import COUNTRIES

from citywatch.core.text import fold
from citywatch.places.gazetteer import City, find_cities, find_region, nearest

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
    """A subdivision code, when given, must be an ISO 3166-2 subdivision of the country
    (any case).

    Raises:
        ValidationError: (on ``subdivision_code``) when it is not.
    """
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


# How far (km) a point given with a name may lie from the listed place of that name and still
# be that place: a city's own extent plus the usual imprecision of coordinates in reports.
SAME_PLACE_KM = 30.0

PLACE = "place"
REGION = "region"
COUNTRY = "country"


class PlaceError(ValueError):
    """A place that cannot be placed as given; the message says what to give instead."""


class AmbiguousPlace(PlaceError):
    def __init__(self, name: str, country_code: str, candidates: list[City]) -> None:
        self.candidates = candidates
        regions = sorted({c.subdivision_code or c.admin1 or "?" for c in candidates})
        shown = ", ".join(regions[:6]) + (", …" if len(regions) > 6 else "")
        super().__init__(
            _(
                "ambiguous place: %(count)s places called %(name)s in %(country)s (%(regions)s); "
                "give the region (subdivision, e.g. %(example)s) or the coordinates"
            )
            % {
                "count": len(candidates),
                "name": name,
                "country": country_code,
                "regions": shown,
                "example": regions[0],
            }
        )


class UnknownSubdivision(PlaceError):
    def __init__(self, text: str, country_code: str) -> None:
        super().__init__(
            _(
                "%(value)s is not a first-level region of %(country)s: use its ISO 3166-2 code "
                "(e.g. US-MA for Massachusetts) or leave it empty"
            )
            % {"value": text, "country": country_code}
        )


@dataclass(frozen=True)
class ResolvedPlace:
    """Where a named place is. ``level`` says how precisely: "place" (the place itself),
    "region" or "country" (the place is not in the list: its region's or country's point,
    and ``approximate`` is True)."""

    name: str
    country_code: str
    subdivision_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    geonames_id: int | None = None
    level: str = PLACE
    approximate: bool = False


def normalise_subdivision(country_code: str, text: str) -> str:
    """An ISO 3166-2 code from what people write: "US-MA", "MA", "ma" or "Massachusetts".

    Returns "" for an empty text.

    Raises:
        UnknownSubdivision: when no subdivision of the country matches.
    """
    text = (text or "").strip()
    if not text:
        return ""
    country = country_code.upper()
    entry = pycountry.subdivisions.get(code=text.upper())
    if entry is None and "-" not in text:
        entry = pycountry.subdivisions.get(code=f"{country}-{text.upper()}")
    if entry is not None and entry.country_code == country:
        return entry.code
    region = find_region(country, text)
    if region is not None and region.iso_code:
        return region.iso_code
    wanted = fold(text)
    for entry in pycountry.subdivisions.get(country_code=country) or []:
        if entry.parent_code is None and fold(entry.name) == wanted:
            return entry.code
    raise UnknownSubdivision(text, country)


def country_point(country_code: str) -> tuple[Decimal | None, Decimal | None]:
    from citywatch.places.models import Country

    country = Country.objects.filter(code=country_code).first()
    return (country.latitude, country.longitude) if country else (None, None)


def resolve_place(
    name: str,
    country_code: str,
    subdivision: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> ResolvedPlace:
    """Where the place called ``name`` in that country (and region) is.

    - With coordinates: the listed place of that name within 30 km of them (its GeoNames id is
      kept), else the coordinates as given; never approximate.
    - Without: the one listed place of that name in the country (and region, when given).
      Several namesakes raise AmbiguousPlace: the row must say which (never the most populous).
    - A place not in the list is put at its region's point (when the region is known) or the
      country's (capital), with ``approximate`` set.

    Raises:
        AmbiguousPlace: several listed places fit and nothing tells them apart.
        UnknownSubdivision: the region given is not one of the country's.
    """
    country = country_code.upper()
    subdivision_code = normalise_subdivision(country, subdivision)
    region = find_region(country, subdivision_code) if subdivision_code else None
    candidates = find_cities(name, country)
    if region is not None:
        candidates = [city for city in candidates if city.admin1 == region.admin1]
    if latitude is not None and longitude is not None:
        if candidates:
            city, distance = nearest(candidates, latitude, longitude)
            if distance <= SAME_PLACE_KM:
                return ResolvedPlace(
                    name,
                    country,
                    subdivision_code or city.subdivision_code,
                    latitude,
                    longitude,
                    geonames_id=city.geonames_id,
                )
        return ResolvedPlace(name, country, subdivision_code, latitude, longitude)
    named = [city for city in candidates if fold(city.name) == fold(name)] or candidates
    if len(named) > 1:
        raise AmbiguousPlace(name, country, named)
    if named:
        city = named[0]
        return ResolvedPlace(
            name,
            country,
            subdivision_code or city.subdivision_code,
            city.latitude,
            city.longitude,
            geonames_id=city.geonames_id,
        )
    if region is not None:
        return ResolvedPlace(
            name,
            country,
            subdivision_code,
            region.latitude,
            region.longitude,
            level=REGION,
            approximate=True,
        )
    point = country_point(country)
    return ResolvedPlace(
        name, country, subdivision_code, point[0], point[1], level=COUNTRY, approximate=True
    )


@dataclass
class Placement:
    """A resolved place and the atlas's locality for it, if it already has one."""

    place: ResolvedPlace
    locality: Any = None  # an existing Locality, or None: one must be created
    notes: list[str] = field(default_factory=list)

    def new_locality_values(self) -> dict[str, Any]:
        place = self.place
        return {
            "name": place.name,
            "country_id": place.country_code,
            "subdivision_code": place.subdivision_code,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "geonames_id": place.geonames_id,
            "approximate": place.approximate,
        }


def same_locality(locality: Any, place: ResolvedPlace) -> bool:
    """Whether an atlas locality is the resolved place: the same GeoNames place, or the same
    name (accents and case folded) in the same country and region. A locality without a
    region matches a place with one, unless their GeoNames ids differ."""
    if locality.country_id != place.country_code:
        return False
    if place.geonames_id and locality.geonames_id:
        return bool(place.geonames_id == locality.geonames_id)
    if fold(locality.name) != fold(place.name):
        return False
    mine, theirs = locality.subdivision_code, place.subdivision_code
    return mine == theirs or not mine or not theirs


def locate(
    name: str,
    country_code: str,
    subdivision: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    localities: Iterable[Any] | None = None,
) -> Placement:
    """Resolve a place and find the atlas's locality for it (``localities``: the country's
    localities, when the caller already holds them; otherwise they are read).

    The locality found is never changed: coordinates given for an existing place that lie far
    from it are noted, and the atlas's place is kept.

    Raises:
        AmbiguousPlace, UnknownSubdivision: as ``resolve_place``.
        PlaceError: when the atlas has several localities that match and nothing tells them
            apart.
    """
    from citywatch.places.models import Locality

    country = country_code.upper()
    if localities is None:
        localities = Locality.objects.filter(country_id=country)
    localities = list(localities)
    try:
        place = resolve_place(name, country, subdivision, latitude, longitude)
    except AmbiguousPlace:
        # Namesakes in the list, but the atlas may know this place already by that name and
        # region; without a region, only an exact single match will do.
        matches = [
            loc
            for loc in localities
            if fold(loc.name) == fold(name)
            and (
                not subdivision
                or loc.subdivision_code == normalise_subdivision(country, subdivision)
            )
        ]
        if subdivision and len(matches) == 1:
            return Placement(
                ResolvedPlace(name, country, matches[0].subdivision_code, None, None), matches[0]
            )
        raise
    by_id = [
        loc for loc in localities if place.geonames_id and loc.geonames_id == place.geonames_id
    ]
    matches = by_id or [loc for loc in localities if same_locality(loc, place)]
    if len(matches) > 1:
        exact = [loc for loc in matches if loc.subdivision_code == place.subdivision_code]
        matches = exact if len(exact) == 1 else matches
    if len(matches) > 1:
        raise PlaceError(
            _(
                "ambiguous place: the atlas has %(count)s places called %(name)s in %(country)s; "
                "give the region (subdivision) or the coordinates"
            )
            % {"count": len(matches), "name": name, "country": country}
        )
    placement = Placement(place, matches[0] if matches else None)
    if placement.locality is not None and latitude is not None and longitude is not None:
        known = placement.locality
        if known.latitude is not None and known.longitude is not None:
            from citywatch.places.gazetteer import distance_km

            far = distance_km(known.latitude, known.longitude, latitude, longitude)
            if far > SAME_PLACE_KM:
                placement.notes.append(
                    _(
                        "the coordinates given lie %(km)d km from the atlas's %(name)s; the "
                        "atlas's place is kept (name the locality by its id to move it)"
                    )
                    % {"km": round(far), "name": known.name}
                )
    return placement


def fill_coordinates_from_gazetteer(locality: Any) -> bool:
    """Fill a locality's missing coordinates and GeoNames id from the place list.

    Returns True when the place was found. Coordinates typed by hand are never replaced.

    Raises:
        ValidationError: the name has several namesakes in the country (and region) given.
    """
    if locality.latitude is not None and locality.longitude is not None:
        return False
    try:
        place = resolve_place(locality.name, locality.country_id, locality.subdivision_code)
    except PlaceError as error:
        raise ValidationError({"name": str(error)}) from error
    if place.level != PLACE:
        return False
    locality.latitude = place.latitude
    locality.longitude = place.longitude
    if not locality.subdivision_code:
        locality.subdivision_code = place.subdivision_code
    if locality.geonames_id is None:
        locality.geonames_id = place.geonames_id
    return True
