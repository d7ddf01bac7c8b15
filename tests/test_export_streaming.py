"""Issue 13 item 4: every export is streamed as it is made, a small table reads only its own
rows, and the streamed files are the files built whole (same bytes, same visibility)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citywatch.atlas.models import Deployment
from citywatch.atlas.queries import public_deployments
from citywatch.evidence.models import Source
from citywatch.exchange import exports, keys, records, streaming
from citywatch.exchange.queries import public_citations

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
# Exports whose rows are deployments (read chunk by chunk with their parts).
# (datapackage.zip streams too, but deflate holds small members back until they end.)
BY_DEPLOYMENT = ["deployments.csv", "deployments.geojson", "citywatch.json", "ocds.json"]


@pytest.fixture
def small_pieces(monkeypatch):
    """Two deployments per chunk and a block per piece, so the demo's eight deployments take
    four chunks and every piece leaves on its own."""
    monkeypatch.setattr(records, "CHUNK", 2)
    monkeypatch.setattr(streaming, "BLOCK", 1)


def party_reads(queries: CaptureQueriesContext, start: int = 0) -> int:
    """How many times the parties of a chunk of deployments were read."""
    return sum(
        1 for q in queries.captured_queries[start:] if q["sql"].startswith('SELECT "atlas_party"')
    )


@pytest.mark.parametrize("filename", exports.FILENAMES)
def test_every_export_is_streamed_and_its_first_bytes_leave_before_the_work_is_done(
    client, demo, small_pieces, filename
):
    b"".join(client.get(f"/exports/{filename}").streaming_content)  # stable ids minted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/exports/{filename}")
        assert response.streaming
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        blocks = iter(response.streaming_content)
        first = next(blocks)
        at_first_block = len(queries)
        rest = b"".join(blocks)
    assert first and rest, filename
    assert at_first_block < len(queries), f"{filename}: every query ran before the first byte"


@pytest.mark.parametrize("filename", BY_DEPLOYMENT)
def test_deployments_are_read_chunk_by_chunk_while_the_file_leaves(
    client, demo, small_pieces, filename
):
    """When the first deployment's bytes have left, only its chunk has been read; the other
    chunks are read after."""
    b"".join(client.get(f"/exports/{filename}").streaming_content)
    public = public_deployments().count()
    first = public_deployments().order_by("slug").first()
    first_id = keys.stable_ids(Deployment, [first.pk])[first.pk]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/exports/{filename}")
        seen = b""
        blocks = iter(response.streaming_content)
        while first_id.encode() not in seen:
            seen += next(blocks)
        assert party_reads(queries) == 1, filename
        b"".join(blocks)
    chunks = math.ceil(public / records.CHUNK)
    assert party_reads(queries) >= chunks > 1, filename


def test_a_small_table_reads_only_its_own_rows(client, demo):
    """sources.csv reads sources (visibility decided in the same query), never the rows of
    deployments or their parts."""
    b"".join(client.get("/exports/sources.csv").streaming_content)
    with CaptureQueriesContext(connection) as queries:
        body = b"".join(client.get("/exports/sources.csv").streaming_content).decode()
    main_tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries if " FROM " in q["sql"]]
    assert not [t for t in main_tables if t.startswith('"atlas_')], main_tables
    rows = list(csv.DictReader(io.StringIO(body)))
    cited = Source.objects.filter(pk__in=public_citations().values("source_id"))
    assert sorted(r["title"] for r in rows) == sorted(cited.values_list("title", flat=True))


def test_head_makes_nothing(client, demo):
    b"".join(client.get("/exports/citywatch.json").streaming_content)
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/exports/citywatch.json")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body == b""
    assert response["ETag"] and response["Content-Disposition"].startswith("attachment")
    assert not [q for q in queries if q["sql"].startswith('SELECT "atlas_deployment"')]


def test_streamed_files_are_the_files_built_whole(demo):
    """The streamed JSON is byte for byte ``json.dumps`` of the same document; the archive
    holds the same CSVs as the single downloads."""
    from citywatch.exchange.dataset import build_dataset, dumps

    streamed = exports.export("citywatch.json", MOMENT).content.decode()
    assert streamed == dumps(build_dataset(MOMENT))
    archive = zipfile.ZipFile(io.BytesIO(exports.export("datapackage.zip", MOMENT).content))
    for name in [*exports.TABLE_FILES, "deployments.csv"]:
        assert archive.read(name) == exports.export(name, MOMENT).content, name
    assert archive.testzip() is None


def test_lists_are_sorted_by_code_point_on_every_database(demo):
    """Sources sort by title as Python sorts text (accents, case, punctuation), on SQLite and
    on PostgreSQL alike (whatever the database's collation)."""
    titles = ["b source", "B source", "é source", "a-b source", "ab source", "Z source"]
    cited = list(Source.objects.filter(pk__in=public_citations().values("source_id")))
    assert len(cited) >= len(titles)
    for source, title in zip(cited, titles, strict=False):
        Source.objects.filter(pk=source.pk).update(title=title)
    written = [s["title"] for s in json.loads(exports.export("citywatch.json").content)["sources"]]
    assert written == sorted(written)
    assert set(titles) <= set(written)


def test_the_export_command_streams_the_same_bytes(demo, capsysbinary):
    call_command("export", "--format", "csv", "--output", "-")
    out = capsysbinary.readouterr().out
    assert out == exports.export("deployments.csv").content
    rows = list(csv.DictReader(io.StringIO(out.decode())))
    assert [r["slug"] for r in rows] == list(
        public_deployments().order_by("slug").values_list("slug", flat=True)
    )
