"""`deployments.geojson`: an RFC 7946 FeatureCollection of public deployments.

Points are [longitude, latitude] in WGS 84. A country-wide deployment sits at its country's
capital (or centre) and says so in ``nationwide``; a place that is not in the place list sits
at its region's or country's point and says so in ``approximate``; a deployment with no known
point keeps a ``null`` geometry, as RFC 7946 allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from citywatch.exchange import meta, queries, records, tables
from citywatch.exchange.streaming import Lazy, json_pieces

PROPERTIES = (
    "id",
    "slug",
    "title",
    "country",
    "country_name",
    "locality",
    "subdivision",
    "status",
    "certainty",
    "technologies",
    "buyers",
    "suppliers",
    "quantities",
    "amounts",
    "permalink",
)


def point(longitude: Any, latitude: Any) -> dict[str, Any] | None:
    if longitude is None or latitude is None or longitude == "" or latitude == "":
        return None
    return {"type": "Point", "coordinates": [round(float(longitude), 5), round(float(latitude), 5)]}


def feature(row: dict[str, str], capitals: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """A deployment (a row of deployments.csv) as a GeoJSON Feature."""
    nationwide = row["nationwide"] == "true"
    if nationwide:
        geometry = point(*capitals.get(row["country"], (None, None)))
    else:
        geometry = point(row["longitude"], row["latitude"])
    properties: dict[str, Any] = {key: row[key] for key in PROPERTIES}
    properties["nationwide"] = nationwide
    properties["approximate"] = row["approximate"] == "true"
    properties["source_count"] = int(row["source_count"])
    return {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties}


def features() -> Iterator[dict[str, Any]]:
    capitals = records.country_points()
    for row in tables.deployment_rows():
        yield feature(row, capitals)


def geojson_document(exported_at: dt.datetime | None = None, release: str = "") -> dict[str, Any]:
    """The FeatureCollection, its features made while it is written."""
    header = meta.about(exported_at or queries.now(), release)
    return {
        "type": "FeatureCollection",
        # Foreign members (RFC 7946 §6.1): what the file is and how to use it.
        "title": meta.DATASET_TITLE,
        "licence": meta.licence(),
        "cite_as": header["cite_as"],
        "exported_at": header["exported_at"],
        "features": Lazy(features),
    }


def geojson_pieces(exported_at: dt.datetime | None = None, release: str = "") -> Iterator[str]:
    """deployments.geojson, piece by piece (one per feature)."""
    records.ensure_stable_ids(tables.DEPLOYMENT_TABLE_NAMES)
    yield from json_pieces(geojson_document(exported_at, release), indent=1)
    yield "\n"
