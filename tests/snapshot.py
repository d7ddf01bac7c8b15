"""The demo dataset loaded once per test session, then put back in each test that asks for it.

Loading the report's cases through the loader (validation, places, search index, derived
fields, history) takes seconds; about two hundred tests use them. The first test that needs the
demo loads it for real, inside a transaction that is rolled back, after reading every table the
load changed; each test then writes those rows back with plain INSERTs (inside its own
transaction, rolled back as usual). The rows are what the loader wrote, so each test sees
exactly the database a real load would give (ids included); sequences are moved past them.

Putting the rows back replaces what those tables hold, so the demo must be set up before any
fixture that writes to them (a team, an organisation, a member): ask for ``demo`` first. A test
that wrote to one of them before the demo was restored fails with the tables' names, instead of
silently losing its rows (a member of a deleted team would become a member of the demo team
that took its id).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[tuple]
    rows_before: int = 0  # how many rows the table held before the load


@dataclass
class Snapshot:
    tables: list[Table] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # Tables the demo's rows point into that Django rebuilds after a flush with other ids
    # (content types, then permissions): as they were before the load.
    reference: list[Table] = field(default_factory=list)


REFERENCE_TABLES = ("django_content_type", "auth_permission")


class WrittenBeforeDemo(AssertionError):
    """A test wrote rows the demo's restore would replace: it must ask for ``demo`` first."""


def table_names() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def writable_columns(table: str) -> list[str]:
    """Columns an INSERT may set (not PostgreSQL's generated columns)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [table],
            )
            return [row[0] for row in cursor.fetchall()]
        description = connection.introspection.get_table_description(cursor, table)
        return [column.name for column in description]


def skipped(table: str) -> bool:
    """SQLite's full-text shadow tables are kept in step by triggers; never copied."""
    return table.startswith("evidence_searchentry_fts") or table == "sqlite_sequence"


def read_rows(table: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return list(cursor.fetchall())


def take(load: Any) -> Snapshot:
    """Run ``load()`` in a transaction that is rolled back, and keep every table it changed."""
    before = {
        table: read_rows(table, writable_columns(table))
        for table in table_names()
        if not skipped(table)
    }
    snapshot = Snapshot()
    snapshot.reference = [
        Table(name, writable_columns(name), before[name], len(before[name]))
        for name in REFERENCE_TABLES
        if name in before
    ]
    with transaction.atomic():
        snapshot.counts = Counter(load())
        for table in table_names():
            if skipped(table):
                continue
            columns = writable_columns(table)
            rows = read_rows(table, columns)
            if rows != before.get(table):
                snapshot.tables.append(Table(table, columns, rows, len(before.get(table, []))))
        transaction.set_rollback(True)
    return snapshot


def written_tables(snapshot: Snapshot) -> list[str]:
    """The snapshot's tables that no longer hold the rows they held before the load."""
    changed = []
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
            if cursor.fetchone()[0] != table.rows_before:
                changed.append(table.name)
    return changed


def restore(snapshot: Snapshot, *, check: bool = True) -> Counter:
    """Write the snapshot's tables back (replacing their rows) in the current transaction.
    ``check`` False: replace them whatever they hold (a transactional test starts from a
    database flushed and reloaded by Django, whose derived tables such as the search index
    need not hold what they held when the snapshot was taken).

    Raises:
        WrittenBeforeDemo: (``check``) the test already wrote to one of those tables (a
            fixture asked for before ``demo``); its rows would be lost.
    """
    written = written_tables(snapshot) if check else []
    if written:
        raise WrittenBeforeDemo(
            "Rows were written to " + ", ".join(written) + " before the demo dataset was "
            "restored, which would replace them: ask for the `demo` fixture before the "
            "fixtures that write."
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        tables = snapshot.tables if check else [*snapshot.reference, *snapshot.tables]
        if not check:  # permissions point at content types: emptied first
            for table in reversed(snapshot.reference):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
        for table in tables:
            name = connection.ops.quote_name(table.name)
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608
            if not table.rows:
                continue
            columns = ", ".join(connection.ops.quote_name(column) for column in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {name} ({columns}) VALUES ({marks})",  # noqa: S608
                table.rows,
            )
        if connection.vendor == "postgresql":
            reset_sequences(cursor, [table.name for table in tables])
    return Counter(snapshot.counts)


def reset_sequences(cursor: Any, tables: list[str]) -> None:
    """Move each restored table's id sequence past its largest id (PostgreSQL)."""
    for table in tables:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()
        if sequence and sequence[0]:
            cursor.execute(
                f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM "  # noqa: S608
                f"{connection.ops.quote_name(table)}), 0) + 1, false)",
                [sequence[0]],
            )
