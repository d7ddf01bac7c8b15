"""`datapackage.zip`: a Frictionless Tabular Data Package (datapackage.json, CSVs, README)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from citywatch.exchange import meta, queries, tables
from citywatch.exchange.streaming import zip_pieces

FOREIGN_KEYS: dict[str, list[tuple[str, str]]] = {
    # table: [(column, referenced table)]; every reference is to the other table's id.
    "deployments": [("locality_id", "localities")],
    "organisations": [("parent", "organisations")],
    "parties": [("deployment", "deployments"), ("organisation", "organisations")],
    "components": [("deployment", "deployments"), ("supplier", "organisations")],
    "money": [("deployment", "deployments"), ("lender", "organisations")],
    "events": [("deployment", "deployments")],
    "vendor_claims": [("vendor", "organisations"), ("deployment", "deployments")],
    "citations": [("source", "sources")],
}


def field(column: tables.Column) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.description:
        spec["description"] = column.description
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.pattern:
        constraints["pattern"] = column.pattern
    if constraints:
        spec["constraints"] = constraints
    return spec


def resource(name: str, columns: list[tables.Column]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field(column) for column in columns],
        "missingValues": [""],
        "primaryKey": ["id"],
    }
    keys = [
        {
            "fields": [column],
            "reference": {"resource": "" if target == name else target, "fields": ["id"]},
        }
        for column, target in FOREIGN_KEYS.get(name, [])
    ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def descriptor(dataset: dict[str, Any]) -> dict[str, Any]:
    """datapackage.json; ``dataset`` needs only the header of citywatch.json
    (``meta.about``: exported_at, cite_as, release)."""
    resources = [resource("deployments", tables.DEPLOYMENT_COLUMNS)]
    resources += [resource(name, columns) for name, columns in tables.TABLE_COLUMNS.items()]
    exported_at = dataset["exported_at"]
    return {
        "profile": "tabular-data-package",
        "name": "citywatch",
        "title": meta.DATASET_TITLE,
        "description": (
            "Smart-city and safe-city surveillance deployments, each fact backed by a cited "
            f"source. Cite as: {dataset['cite_as']}"
        ),
        "homepage": meta.site_url("/"),
        "version": dataset.get("release") or exported_at[:10],
        "created": exported_at,
        "licenses": [
            {"name": meta.LICENCE_ID, "path": meta.LICENCE_URL, "title": meta.LICENCE_TITLE}
        ],
        "contributors": [{"title": "CityWatch contributors", "role": "author"}],
        "resources": resources,
    }


def readme(dataset: dict[str, Any]) -> str:
    return (
        f"# {meta.DATASET_TITLE}\n\n"
        f"Exported {dataset['exported_at']} from {meta.site_url('/')}.\n\n"
        f"Licence: {meta.LICENCE_TITLE} (CC BY 4.0), {meta.LICENCE_URL}\n\n"
        f"Cite as: {dataset['cite_as']}\n\n"
        "`datapackage.json` describes every table (columns, types, keys). `deployments.csv` has\n"
        "one row per deployment with joined names; the other tables hold the parts of each deal\n"
        "and the sources behind every fact, linked by stable ids.\n"
    )


def datapackage_pieces(
    exported_at: dt.datetime | None = None, release: str = ""
) -> Iterator[bytes]:
    """datapackage.zip, written as it is read: the descriptor, deployments.csv and every
    table streamed into the archive one after the other, then the README."""
    header = meta.about(exported_at or queries.now(), release)
    moment = dt.datetime.fromisoformat(str(header["exported_at"]))
    members: list[tuple[str, Iterable[str]]] = [
        ("datapackage.json", [json.dumps(descriptor(header), ensure_ascii=False, indent=2)]),
        ("deployments.csv", tables.csv_file_pieces("deployments.csv")),
        *((f"{name}.csv", tables.csv_file_pieces(f"{name}.csv")) for name in tables.TABLE_COLUMNS),
        ("README.md", [readme(header)]),
    ]
    date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    yield from zip_pieces(members, date_time)
