"""The full-text index over SearchEntry, one per database.

SQLite: an FTS5 table (accents folded by the unicode61 tokenizer) kept in step with
evidence_searchentry by triggers. PostgreSQL: the unaccent extension, a text search
configuration "citywatch" (the simple dictionary after unaccent, no stemming, so both databases
match the same words) and a generated, GIN-indexed tsvector column.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE evidence_searchentry_fts USING fts5(
        title, body, content='evidence_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER evidence_searchentry_ai AFTER INSERT ON evidence_searchentry BEGIN
        INSERT INTO evidence_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER evidence_searchentry_ad AFTER DELETE ON evidence_searchentry BEGIN
        INSERT INTO evidence_searchentry_fts(evidence_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER evidence_searchentry_au AFTER UPDATE ON evidence_searchentry BEGIN
        INSERT INTO evidence_searchentry_fts(evidence_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO evidence_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO evidence_searchentry_fts(evidence_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS evidence_searchentry_ai",
    "DROP TRIGGER IF EXISTS evidence_searchentry_ad",
    "DROP TRIGGER IF EXISTS evidence_searchentry_au",
    "DROP TABLE IF EXISTS evidence_searchentry_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'citywatch') THEN
            CREATE TEXT SEARCH CONFIGURATION citywatch (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION citywatch
                ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword,
                    hword_part, numword, numhword, hword_numpart
                WITH unaccent, simple;
        END IF;
    END $$""",
    """ALTER TABLE evidence_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('citywatch'::regconfig, title), 'A')
            || setweight(to_tsvector('citywatch'::regconfig, body), 'D')
        ) STORED""",
    """CREATE INDEX evidence_searchentry_vector
        ON evidence_searchentry USING gin (search_vector)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS evidence_searchentry_vector",
    "ALTER TABLE evidence_searchentry DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS citywatch",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"CityWatch search supports SQLite and PostgreSQL, "
                f"not {schema_editor.connection.vendor}"
            )
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_documents_archives_search")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
