"""Searching the shipped place list for the deal page: by the start of a name, or nearest to a
point picked on the small map. Reads the gazetteer only (public reference data, GeoNames
CC BY 4.0); the place is then placed by ``places.services.locate`` when the deal is saved."""

from __future__ import annotations

from typing import Any

from citywatch.core.text import fold
from citywatch.places.gazetteer import City, cities_in, country_index, distance_km, region_by_admin1

LIMIT = 10
MIN_QUERY = 2
# A point picked on the map names a place only when one lies this close (km).
NEAR_KM = 30.0


def place_row(city: City, distance: float | None = None) -> dict[str, Any]:
    """One place as the page's script reads it."""
    region = region_by_admin1(city.country_code, city.admin1)
    row: dict[str, Any] = {
        "name": city.name,
        "subdivision": city.subdivision_code,
        "region": region.name if region else "",
        "latitude": str(city.latitude),
        "longitude": str(city.longitude),
        "population": city.population,
    }
    if distance is not None:
        row["km"] = round(distance, 1)
    return row


def search_places(country_code: str, query: str) -> list[dict[str, Any]]:
    """Places of the country whose name (or another name) starts with the query, accents and
    case folded, most populous first; at most ``LIMIT``. A query shorter than two letters
    finds nothing."""
    key = fold(query or "")
    if len(key) < MIN_QUERY:
        return []
    found: dict[int, City] = {}
    for name, cities in country_index(country_code.upper()).items():
        if name.startswith(key):
            for city in cities:
                found[city.geonames_id] = city
    ranked = sorted(
        found.values(),
        key=lambda city: (not fold(city.name).startswith(key), -city.population, city.name),
    )
    return [place_row(city) for city in ranked[:LIMIT]]


def nearest_places(country_code: str, latitude: float, longitude: float) -> list[dict[str, Any]]:
    """The listed places of the country within ``NEAR_KM`` of a point, nearest first (at most
    three)."""
    near = []
    for city in cities_in(country_code.upper()):
        distance = distance_km(city.latitude, city.longitude, latitude, longitude)
        if distance <= NEAR_KM:
            near.append((distance, -city.population, city))
    near.sort(key=lambda item: (item[0], item[1]))
    return [place_row(city, distance) for distance, _population, city in near[:3]]
