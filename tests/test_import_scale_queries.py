"""Imports at scale (issue 13 item 6): a file of new records is written many rows at a time
(``exchange.imports.bulk``, ``atlas.services.save_records_in_bulk``), in a number of queries
that does not grow with the number of deployments, and answers exactly as the row-by-row
path does: the same report, the same records, history rows, stable ids, search text and
years; a refused file changes nothing and reports every problem with its JSON path."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import DateTimeField, UUIDField

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.core.text import fold, strip_controls
from citywatch.evidence.models import Citation, SearchEntry, Source
from citywatch.exchange import exports, keys
from citywatch.exchange.imports import bulk, run_import
from citywatch.exchange.models import RecordKey
from citywatch.places.models import Locality
from tests.test_imports import MOMENT, wipe_dataset

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MODELS = [Deployment, Party, Component, Money, Event, Citation, Source, Organisation, Locality]
# The records compared between both ways (a file's vendor claims too).
COMPARED = [*MODELS, VendorClaim]


def synthetic(count: int, places: int = 20, sources: int = 20) -> dict:
    """The benchmark's file (benchmarks/import_scale.py) with fewer places and sources."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from import_scale import synthetic_dataset
    finally:
        sys.path.pop(0)
    data = synthetic_dataset(count, seed=5)
    data["localities"] = data["localities"][:places]
    known = {item["id"] for item in data["localities"]}
    for deployment in data["deployments"]:
        if deployment["locality"] not in known:
            deployment["locality"] = None
    data["sources"] = data["sources"][:sources]
    ids = [item["id"] for item in data["sources"]]
    for n, citation in enumerate(data["citations"]):
        citation["source"] = ids[n % len(ids)]
    return data


def queries_of(data: dict) -> tuple[int, object]:
    counts, report = queries_by_kind(data)
    return counts["insert"] + counts["other"], report


def queries_by_kind(data: dict) -> tuple[dict[str, int], object]:
    """The import's queries: inserts, and all others."""
    counts = {"insert": 0, "other": 0}

    def count(execute, sql, params, many, context):
        counts["insert" if sql.lstrip().upper().startswith("INSERT") else "other"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        report = run_import(json.dumps(data).encode(), filename="x.json")
    return counts, report


def test_ten_times_the_deployments_cost_no_more_queries():
    """30 and 300 new deployments (each with two parties, a component, an amount, an event
    and a citation) take the same number of queries but for the inserts, each of which
    writes many rows (SQLite takes at most 999 values a query): records are written a batch
    at a time, derived fields and the search index follow per batch."""
    small, report = queries_by_kind(synthetic(30))
    assert report.ok and report.created == 30 * 7 + 20 + 20 + 505
    wipe_dataset()
    large, report = queries_by_kind(synthetic(300))
    assert report.ok and report.created == 300 * 7 + 20 + 20 + 505
    assert Deployment.objects.count() == 300
    # Content types are read once per process (the first import here may pay for them), and
    # keys (about 8 a deployment) are looked up keys.KEY_BATCH a query: a few more queries for
    # ten times the rows, never one per row.
    assert large["other"] - small["other"] <= 300 * 8 // keys.KEY_BATCH + 1, (small, large)
    # 270 more deployments are 270 * 13 more rows (records and history rows), their stable
    # ids and search entries; before, each deployment took about 88 queries.
    assert large["insert"] - small["insert"] <= 270 // 4, (small, large)


def test_more_batches_add_a_bounded_number_of_queries(monkeypatch):
    """Past a batch, each further batch adds a fixed number of queries, not one per row."""
    monkeypatch.setattr(bulk, "BATCH", 50)
    counts = []
    for count in (100, 200):
        wipe_dataset()
        queries, report = queries_of(synthetic(count))
        assert report.ok
        counts.append(queries)
    # Two more batches of deployments and of citations: a few inserts each.
    assert 0 < counts[1] - counts[0] <= 4 * 40, counts


def normalised(report) -> list[str]:
    """The report's lines, with database ids (a citation's source) left out: the two imports
    run one after the other in one database."""
    return report.lines()


def last_history_ids() -> dict[str, int]:
    return {
        model.__name__: model.history.model.objects.order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0
        for model in COMPARED
    }


def ranks() -> dict[type, dict[int, int]]:
    """Each record's place in its table (by id): the two imports give different ids to the
    same records, made in the same order."""
    return {
        model: {
            pk: n for n, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))
        }
        for model in COMPARED
    }


def written_rows(model, since: int, places: dict[type, dict[int, int]]) -> Counter:
    """Every column of the records of ``model`` and of the history rows the import wrote
    but moments, random keys and history ids, each record named by its place in its table
    (a related record, a citation's target too): what ``save()`` would have written,
    compared column by column."""
    found: Counter = Counter()
    history = model.history.model
    for table, rows in (
        (model, model.objects.all()),
        (history, history.objects.filter(history_id__gt=since)),
    ):
        fields = [
            field
            for field in table._meta.concrete_fields
            # Moments and random keys (a source's UUID) differ from one import to the next.
            if not isinstance(field, DateTimeField | UUIDField) and field.attname != "history_id"
        ]
        names = [field.attname for field in fields]
        for row in rows.values_list(*names):
            values = dict(zip(names, row, strict=True))
            for field in fields:
                value = values[field.attname]
                if field.attname == "id" or field.primary_key:
                    values[field.attname] = places[model].get(value)
                elif field.is_relation and field.related_model in places:
                    values[field.attname] = places[field.related_model].get(value)
            if "object_id" in values and "content_type_id" in values:
                target = ContentType.objects.get_for_id(values["content_type_id"]).model_class()
                values["object_id"] = places.get(target, {}).get(values["object_id"])
            found[(table.__name__, tuple(sorted(values.items(), key=str)))] += 1
    return found


def state(since: dict[str, int]) -> dict:
    """What an import leaves: records, the history rows it wrote with their reason and
    account, every column of both, stable ids (with the record each names), search text and
    years, search entries."""
    found: dict = {}
    places = ranks()
    for model in COMPARED:
        history = model.history.model.objects.filter(history_id__gt=since[model.__name__])
        found[model.__name__] = (
            model.objects.count(),
            Counter(history.values_list("history_type", "history_change_reason", "history_user")),
        )
        found[f"{model.__name__} rows"] = written_rows(model, since[model.__name__], places)
    found["keys"] = sorted(
        (
            scheme,
            key,
            content_type,
            places.get(ContentType.objects.get_for_id(content_type).model_class(), {}).get(pk),
        )
        for scheme, key, content_type, pk in RecordKey.objects.values_list(
            "scheme", "key", "content_type", "object_id"
        )
    )
    found["derived"] = sorted(
        Deployment.objects.values_list("slug", "search_text", "first_year", "last_year")
    )
    found["index"] = Counter(SearchEntry.objects.values_list("kind", "title", "body"))
    found["index stems"] = Counter(
        SearchEntry.objects.values_list(
            "kind", "part", "page", "language", "title_stems", "body_stems"
        )
    )
    return found


def both_ways(data: bytes, monkeypatch, **options) -> list[tuple[list[str], dict]]:
    results = []
    for enabled in (False, True):
        monkeypatch.setattr(bulk, "ENABLED", enabled)
        wipe_dataset()
        SearchEntry.objects.exclude(kind="country").delete()
        since = last_history_ids()
        report = run_import(data, filename="citywatch.json", **options)
        results.append((normalised(report), state(since)))
    return results


def test_the_demo_dataset_imports_as_row_by_row(demo, monkeypatch):
    data = exports.export("citywatch.json", MOMENT).content
    (slow_report, slow_state), (fast_report, fast_state) = both_ways(data, monkeypatch)
    assert any("create deployment" in line for line in fast_report)
    assert fast_report == slow_report
    assert fast_state == slow_state


@pytest.mark.parametrize("title", ["A\u0001B\u0085C\u200bD\u2028E\u00a0F", "Kamere\u001a u Nišu"])
def test_control_characters_in_a_title_give_the_same_search_text_both_ways(
    demo, monkeypatch, title
):
    """The search text is made from the title as it is written (control characters removed:
    U+0085 is a word break to ``str.split`` before it is removed), on both paths (review 6,
    F2)."""
    document = json.loads(exports.export("citywatch.json", MOMENT).content)
    document["deployments"][0]["title"] = title
    data = json.dumps(document).encode()
    (slow_report, slow_state), (fast_report, fast_state) = both_ways(data, monkeypatch)
    assert fast_report == slow_report
    assert fast_state == slow_state
    stored = Deployment.objects.get(title=strip_controls(title))
    assert stored.search_text.startswith(fold(strip_controls(title)))


def test_history_of_a_bulk_import_says_imported_and_names_nobody():
    _queries, report = queries_of(synthetic(40))
    assert report.ok
    for model in MODELS:
        history = model.history.model.objects.all()
        assert history.count() == model.objects.count() > 0
        assert set(history.values_list("history_type", "history_change_reason")) == {
            ("+", "imported")
        }
        assert not history.exclude(history_user=None).exists()
    assert RecordKey.objects.count() == report.created  # each with its stable id
    assert not Deployment.objects.filter(search_text="").exists()
    assert not Deployment.objects.filter(first_year=None).exists()
    assert SearchEntry.objects.filter(kind="deployment").count() == 40
    assert SearchEntry.objects.filter(kind="place").count() == 20


def test_a_refused_file_changes_nothing_and_reports_as_row_by_row(monkeypatch):
    data = synthetic(60)
    data["deployments"][10]["parties"][0]["organisation"] = "no-such-organisation"
    data["deployments"][40]["components"][0]["unit"] = ""  # a quantity without its unit
    data["citations"][50]["source"] = "no-such-source"
    data["deployments"].append(
        dict(data["deployments"][20], title="Renamed", parties=[], components=[])
    )
    data["deployments"][-1]["money"] = []
    data["deployments"][-1]["events"] = []
    encoded = json.dumps(data, indent=1).encode()
    for dry_run in (False, True):
        (slow_report, slow_state), (fast_report, fast_state) = both_ways(
            encoded, monkeypatch, dry_run=dry_run
        )
        assert fast_report == slow_report
        assert fast_state == slow_state
        assert Deployment.objects.count() == 0 and Source.objects.count() == 0
    problems = "\n".join(fast_report)
    assert "deployments[10].parties[0].organisation" in problems
    assert "no organisation with id no-such-organisation" in problems
    assert "deployments[40].components[0]" in problems
    assert "citations[50].source" in problems
    # The repeated deployment (same id, found again): an update, row by row.
    assert any(
        line.startswith("line ") and "would update deployment" in line for line in fast_report
    )
