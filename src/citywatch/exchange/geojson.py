"""`deployments.geojson`: an RFC 7946 FeatureCollection of public deployments.

Points are [longitude, latitude] in WGS 84. A country-wide deployment sits at its country's
capital (or centre) and says so in ``nationwide``; a place that is not in the place list sits
at its region's or country's point and says so in ``approximate``; a deployment with no known
point keeps a ``null`` geometry, as RFC 7946 allows.
"""

from __future__ import annotations

from typing import Any

from citywatch.exchange import meta, tables
from citywatch.places.models import Country


def point(longitude: Any, latitude: Any) -> dict[str, Any] | None:
    if longitude is None or latitude is None or longitude == "" or latitude == "":
        return None
    return {"type": "Point", "coordinates": [round(float(longitude), 5), round(float(latitude), 5)]}


def build_geojson(dataset: dict[str, Any]) -> dict[str, Any]:
    codes = {row["country"] for row in dataset["deployments"]}
    capitals = {c.code: (c.longitude, c.latitude) for c in Country.objects.filter(code__in=codes)}
    features = []
    for row in tables.deployment_rows(dataset):
        nationwide = row["nationwide"] == "true"
        if nationwide:
            geometry = point(*capitals.get(row["country"], (None, None)))
        else:
            geometry = point(row["longitude"], row["latitude"])
        properties = {
            key: row[key]
            for key in (
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
        }
        properties["nationwide"] = nationwide
        properties["approximate"] = row["approximate"] == "true"
        properties["source_count"] = int(row["source_count"])
        features.append(
            {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties}
        )
    return {
        "type": "FeatureCollection",
        # Foreign members (RFC 7946 §6.1): what the file is and how to use it.
        "title": meta.DATASET_TITLE,
        "licence": meta.licence(),
        "cite_as": dataset["cite_as"],
        "exported_at": dataset["exported_at"],
        "features": features,
    }
