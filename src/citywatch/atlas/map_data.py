"""Compact map data: one small row per deployment, so the map stays light at 100,000 records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet

from citywatch.atlas.models import Deployment, DeploymentStatus

STATUS_ORDER = list(DeploymentStatus.values)
MAP_FIELDS = ["id", "lat", "lon", "status", "nationwide"]


def coordinate(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def map_rows(deployments: QuerySet[Deployment]) -> dict[str, Any]:
    """Rows of [id, lat, lon, status index, nationwide flag]; country-wide deals sit at the
    country's capital (or centroid). Records with no known point are counted, not drawn."""
    rows = []
    unplaced = 0
    values = deployments.values_list(
        "pk",
        "locality__latitude",
        "locality__longitude",
        "country__latitude",
        "country__longitude",
        "status",
        "locality_id",
    ).order_by()
    for pk, lat, lon, country_lat, country_lon, status, locality_id in values.iterator():
        nationwide = locality_id is None
        if nationwide:
            lat, lon = country_lat, country_lon
        if lat is None or lon is None:
            unplaced += 1
            continue
        rows.append(
            [pk, coordinate(lat), coordinate(lon), STATUS_ORDER.index(status), int(nationwide)]
        )
    return {"fields": MAP_FIELDS, "statuses": STATUS_ORDER, "rows": rows, "unplaced": unplaced}


def country_counts(deployments: QuerySet[Deployment]) -> dict[str, Any]:
    """Deployments per country, keyed by ISO numeric code (as in Natural Earth's world atlas)
    and, for places with no numeric code such as Kosovo, by English name."""
    by_numeric: dict[str, int] = {}
    by_name: dict[str, int] = {}
    rows = (
        deployments.order_by()
        .values("country__numeric", "country__english_name")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in rows:
        if row["country__numeric"]:
            by_numeric[row["country__numeric"]] = row["n"]
        else:
            by_name[row["country__english_name"]] = row["n"]
    return {"byNumeric": by_numeric, "byName": by_name}


def data_version(deployments: QuerySet[Deployment]) -> str:
    """Changes whenever a matching record is added, removed or edited (used as an ETag)."""
    summary = deployments.order_by().aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = summary["latest"].isoformat() if summary["latest"] else "-"
    return f"{summary['n']}-{latest}"
