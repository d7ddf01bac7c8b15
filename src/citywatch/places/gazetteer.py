"""The city list shipped with CityWatch (GeoNames cities15000, trimmed; CC BY 4.0).

A researcher who types "Kampala" gets its coordinates and GeoNames id from here; places
that are not in the list can still be entered by hand.
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

CITIES_FILE = Path(__file__).resolve().parent / "data" / "cities15000.tsv.gz"


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country_code: str
    latitude: Decimal
    longitude: Decimal
    population: int
    alternate_names: tuple[str, ...]


def parse_city(row: dict[str, str]) -> City:
    alternates = tuple(name for name in row["alternates"].split("|") if name)
    return City(
        geonames_id=int(row["geonameid"]),
        name=row["name"],
        country_code=row["country"],
        latitude=Decimal(row["latitude"]),
        longitude=Decimal(row["longitude"]),
        population=int(row["population"]),
        alternate_names=alternates,
    )


@cache
def all_cities() -> tuple[City, ...]:
    text = gzip.decompress(CITIES_FILE.read_bytes()).decode("utf-8")
    return tuple(parse_city(row) for row in csv.DictReader(io.StringIO(text), delimiter="\t"))


@cache
def name_index() -> dict[str, tuple[City, ...]]:
    index: dict[str, list[City]] = {}
    for city in all_cities():
        for name in {fold(city.name), *(fold(alt) for alt in city.alternate_names)}:
            index.setdefault(name, []).append(city)
    return {
        key: tuple(sorted(cities, key=lambda c: -c.population)) for key, cities in index.items()
    }


def find_cities(name: str, country_code: str | None = None) -> list[City]:
    """Cities whose name or alternate name matches, most populous first."""
    matches = name_index().get(fold(name), ())
    if country_code:
        matches = tuple(city for city in matches if city.country_code == country_code.upper())
    return list(matches)


def best_match(name: str, country_code: str | None = None) -> City | None:
    matches = find_cities(name, country_code)
    return matches[0] if matches else None
