"""`citywatch.json`: the whole linked public dataset, the format that round-trips.

Every record carries its stable id (``id``); links between records use those ids, never
database keys, so the file can be imported into another CityWatch and exported again unchanged.
Lists are sorted by what they contain, so two exports of the same data are identical.

The file is written as it is read (``dataset_document`` holds its long lists as
``streaming.Lazy`` generators from ``citywatch.exchange.records``): memory stays flat in the
number of records. ``build_dataset`` gathers the same document into one dictionary, for code
that needs it whole.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from citywatch.exchange import meta, queries, records
from citywatch.exchange.records import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    COMPONENT_FIELDS,
    DECIMAL_FIELDS,
    DEPLOYMENT_FIELDS,
    EVENT_FIELDS,
    LEGAL_ENTRY_FIELDS,
    LOCALITY_FIELDS,
    MONEY_FIELDS,
    ORGANISATION_FIELDS,
    PARTY_FIELDS,
    SOURCE_FIELDS,
    TARGET_MODELS,
    TARGET_TYPES,
    amount_text,
    coordinate,
    decimal_text,
    pick,
)
from citywatch.exchange.streaming import Lazy, json_pieces

__all__ = [
    "CITATION_FIELDS",
    "CLAIM_FIELDS",
    "COMPONENT_FIELDS",
    "DECIMAL_FIELDS",
    "DEPLOYMENT_FIELDS",
    "EVENT_FIELDS",
    "LEGAL_ENTRY_FIELDS",
    "LOCALITY_FIELDS",
    "MONEY_FIELDS",
    "ORGANISATION_FIELDS",
    "PARTY_FIELDS",
    "SOURCE_FIELDS",
    "TARGET_MODELS",
    "TARGET_TYPES",
    "amount_text",
    "build_dataset",
    "coordinate",
    "dataset_document",
    "dataset_pieces",
    "decimal_text",
    "dumps",
    "pick",
]

# The lists of citywatch.json, in the file's order, and what makes each.
LISTS = {
    "sources": records.sources,
    "organisations": records.organisations,
    "localities": records.localities,
    "legal_entries": records.legal_entries,
    "deployments": records.deployment_records,
    "vendor_claims": records.vendor_claims_at_large,
    "citations": records.citations,
}


def dataset_document(exported_at: dt.datetime | None = None, release: str = "") -> dict[str, Any]:
    """citywatch.json as a dictionary whose record lists are made while it is written.

    Mints the stable ids the file names (a write, once per new record); the records are read
    only when the ``Lazy`` lists are iterated."""
    records.ensure_stable_ids(records.public_sets())
    return {
        "format": meta.FORMAT_NAME,
        "format_version": meta.FORMAT_VERSION,
        **meta.about(exported_at or queries.now(), release),
        "technologies": Lazy(records.technologies),
        "countries": Lazy(records.countries),
        **{name: Lazy(function) for name, function in LISTS.items()},
    }


def dataset_pieces(exported_at: dt.datetime | None = None, release: str = "") -> Iterator[str]:
    """The text of citywatch.json, piece by piece (one per record)."""
    yield from json_pieces(dataset_document(exported_at, release), indent=2)
    yield "\n"


def build_dataset(exported_at: dt.datetime | None = None, release: str = "") -> dict[str, Any]:
    """The public dataset as one JSON-ready dictionary (all in memory: for small data and
    tests; exports stream ``dataset_pieces`` instead)."""
    return {
        name: list(value) if isinstance(value, Lazy) else value
        for name, value in dataset_document(exported_at, release).items()
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
