"""An export first checks that every public record owns a stable id
(``exchange.records.missing_stable_ids``): one probe of the record keys per record. On SQLite,
without table statistics (nothing runs ``ANALYZE``), that probe took the unique constraint's
index by scheme alone and read every key for each record: about a minute per table at 10,000
deployments (review 6, F1). The probe must use the index by kind, record and scheme, for every
kind of record an export names."""

from __future__ import annotations

import pytest
from django.db import connection

from citywatch.exchange import records
from citywatch.exchange.models import RecordKey

pytestmark = pytest.mark.django_db

INDEX = "record_key_of_record"


def test_the_record_key_index_leads_with_the_record():
    index = next(i for i in RecordKey._meta.indexes if i.name == INDEX)
    assert list(index.fields) == ["content_type", "object_id", "scheme"]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, RecordKey._meta.db_table)
    assert constraints[INDEX]["columns"] == ["content_type_id", "object_id", "scheme"]


@pytest.mark.parametrize("model", list(records.public_sets()), ids=lambda m: m.__name__)
def test_the_stable_id_check_probes_each_record_by_the_record_index(demo, model):
    sql, params = records.missing_stable_ids(model).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            indexes = connection.introspection.get_constraints(cursor, RecordKey._meta.db_table)
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            details = [row[3] for row in cursor.fetchall()]
            # The steps that read the record keys name one of their indexes.
            probes = [d for d in details if any(index in d for index in indexes)]
            plan = " | ".join(details)
            assert probes, plan
            assert all(INDEX in probe for probe in probes), plan
            assert all("object_id=?" in probe for probe in probes), plan
        else:  # PostgreSQL plans by its statistics; the query must at least run as planned
            cursor.execute("EXPLAIN " + sql, params)
            assert cursor.fetchall()
    # And it finds what it is for: the records minted ids for own none afterwards.
    records.mint_missing(model)
    assert list(records.missing_stable_ids(model)) == []
