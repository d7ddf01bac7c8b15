"""The place list shipped with CityWatch: GeoNames cities1000 (every place of 1,000 people or
more, about 170,000), trimmed by ``scripts/trim_cities.py``; GeoNames data, CC BY 4.0.

A researcher who types "Kampala" gets its coordinates and GeoNames id from here; places that
are not in the list can still be entered by hand. Each place knows its first-level region, so
Salem, Oregon and Salem, Massachusetts stay two places. The list is read one country at a time,
when a country is first asked for, so a process that only needs Zambia never holds the US.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from citywatch.core.text import fold

DATA = Path(__file__).resolve().parent / "data"
CITIES_FILE = DATA / "cities1000.tsv.gz"
REGIONS_FILE = DATA / "regions.tsv"
# A name alone, without a country, is looked up among bigger places only: a small town's name
# is too often someone else's word or another town's name.
MIN_POPULATION_WITHOUT_COUNTRY = 15000


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country_code: str
    admin1: str  # GeoNames' first-level region code, e.g. "MA" in the US; "" if unknown
    latitude: Decimal
    longitude: Decimal
    population: int
    alternate_names: tuple[str, ...]

    @property
    def subdivision_code(self) -> str:
        """The ISO 3166-2 code of the place's region (US-MA), where it is known; else ""."""
        region = region_by_admin1(self.country_code, self.admin1)
        return region.iso_code if region else ""


@dataclass(frozen=True)
class Region:
    """A first-level region (a US state, a Spanish autonomous community…)."""

    country_code: str
    admin1: str
    iso_code: str  # "" where GeoNames' code is not known to be the ISO 3166-2 one
    name: str
    latitude: Decimal  # a representative point: the region's most populous listed place
    longitude: Decimal


HEADER = ["geonameid", "name", "country", "admin1", "latitude", "longitude", "population"]


def parse_city(cells: list[str]) -> City:
    geonames_id, name, country, admin1, latitude, longitude, population, alternates = cells
    return City(
        geonames_id=int(geonames_id),
        name=name,
        country_code=country,
        admin1=admin1,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        population=int(population),
        alternate_names=tuple(alt for alt in alternates.split("|") if alt),
    )


@cache
def country_blocks() -> dict[str, str]:
    """The list's text, one block of lines per country (the file is sorted by country)."""
    text = gzip.decompress(CITIES_FILE.read_bytes()).decode("utf-8")
    body = text.split("\n", 1)[1]
    blocks: dict[str, list[str]] = {}
    for line in body.splitlines():
        country = line.split("\t", 3)[2]
        blocks.setdefault(country, []).append(line)
    return {country: "\n".join(lines) for country, lines in blocks.items()}


@cache
def cities_in(country_code: str) -> tuple[City, ...]:
    """Every listed place of one country (ISO 3166-1 alpha-2), in the file's order."""
    block = country_blocks().get(country_code.upper(), "")
    if not block:
        return ()
    reader = csv.reader(io.StringIO(block), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(parse_city(cells) for cells in reader)


def _index(cities: tuple[City, ...] | list[City]) -> dict[str, tuple[City, ...]]:
    """Each folded name and alternate name, with the places so called, most populous first
    (then by GeoNames id). The places are put in that order once, so each name's list is
    built in it."""
    index: dict[str, list[City]] = {}
    for city in sorted(cities, key=lambda c: (-c.population, c.geonames_id)):
        names = {fold(city.name)}
        names.update(map(fold, city.alternate_names))
        for name in names:
            found = index.get(name)
            if found is None:
                index[name] = [city]
            else:
                found.append(city)
    return {key: tuple(found) for key, found in index.items()}


@cache
def country_index(country_code: str) -> dict[str, tuple[City, ...]]:
    return _index(cities_in(country_code))


@cache
def big_places_index() -> dict[str, tuple[City, ...]]:
    big = []
    for block in country_blocks().values():
        for line in block.split("\n"):
            cells = line.split("\t")
            if int(cells[6]) >= MIN_POPULATION_WITHOUT_COUNTRY:
                big.append(parse_city(cells))
    return _index(big)


def all_cities() -> tuple[City, ...]:
    """Every listed place (loads the whole list: for scripts and tests, not for requests)."""
    return tuple(city for country in country_blocks() for city in cities_in(country))


def find_cities(
    name: str, country_code: str | None = None, subdivision: str | None = None
) -> list[City]:
    """Places whose name or an alternate name matches, accents and case folded ("Lusáka"
    finds Lusaka), most populous first.

    With a country, every listed place of it; without one, places of 15,000 people or more
    only. With a subdivision (an ISO 3166-2 code such as US-MA, a GeoNames region code or a
    region's name), only places in that region; a region the list cannot tell apart (GeoNames
    uses its own codes for most countries outside the US, GB and a few others) filters nothing.
    """
    key = fold(name)
    if country_code:
        matches = list(country_index(country_code.upper()).get(key, ()))
    else:
        matches = list(big_places_index().get(key, ()))
    if subdivision and country_code:
        region = find_region(country_code, subdivision)
        if region is not None:
            matches = [city for city in matches if city.admin1 == region.admin1]
    # A place called so comes before one that is also known by that name (Salem before
    # Bensalem, whose other names include "Salem").
    return sorted(matches, key=lambda city: fold(city.name) != key)


def best_match(name: str, country_code: str | None = None) -> City | None:
    """The most populous place of that name: for suggestions only. To place a record, use
    ``citywatch.places.services.resolve_place``, which never guesses between namesakes."""
    matches = find_cities(name, country_code)
    return matches[0] if matches else None


def nearest(cities: list[City], latitude: Decimal, longitude: Decimal) -> tuple[City, float]:
    """The place closest to a point, and its distance in kilometres."""
    found = min(cities, key=lambda c: distance_km(c.latitude, c.longitude, latitude, longitude))
    return found, distance_km(found.latitude, found.longitude, latitude, longitude)


def distance_km(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    from math import asin, cos, radians, sin, sqrt

    phi1, phi2 = radians(float(lat1)), radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = radians(float(lon2) - float(lon1))
    a = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(a))


# Regions -----------------------------------------------------------------------------------


@cache
def all_regions() -> tuple[Region, ...]:
    rows = csv.DictReader(REGIONS_FILE.open(encoding="utf-8"), delimiter="\t")
    return tuple(
        Region(
            country_code=row["country"],
            admin1=row["admin1"],
            iso_code=row["iso"],
            name=row["name"],
            latitude=Decimal(row["latitude"]),
            longitude=Decimal(row["longitude"]),
        )
        for row in rows
    )


@cache
def region_lookup() -> dict[tuple[str, str], Region]:
    """(country, folded key) -> region, for keys: ISO code, GeoNames code, name."""
    found: dict[tuple[str, str], Region] = {}
    for region in all_regions():
        country = region.country_code
        found[(country, "admin1:" + region.admin1.casefold())] = region
        if region.iso_code:
            found[(country, region.iso_code.casefold())] = region
            found[(country, region.iso_code.split("-", 1)[1].casefold())] = region
        if region.name:
            found[(country, fold(region.name))] = region
    return found


def region_by_admin1(country_code: str, admin1: str) -> Region | None:
    if not admin1:
        return None
    return region_lookup().get((country_code.upper(), "admin1:" + admin1.casefold()))


def find_region(country_code: str, text: str) -> Region | None:
    """The region a text names: an ISO 3166-2 code (US-VA), its part after the dash (VA), or a
    region's name where the list knows it (Virginia). None when the list cannot tell."""
    text = text.strip()
    if not text:
        return None
    country = country_code.upper()
    lookup = region_lookup()
    return lookup.get((country, text.casefold())) or lookup.get((country, fold(text)))
