"""The text-search part of the index, which each database does its own way.

PostgreSQL: generated tsvector columns in the `indonesian` configuration, so the database
keeps them right on every insert and update, however the row was written; GIN indexes on
them; a small GIN index for the undated (evergreen) entries, so a common word's ranking
can always reach the services and apps; and trigrams over the vocabulary for "did you
mean". `pg_trgm` is a trusted extension: the database owner may create it.

SQLite: an FTS5 table holding the Snowball-stemmed text (stemmed in Python, see
language.stemmed_text) and, in `raw`, the title's words as typed, for suggestions.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian'::regconfig, title || ' ' || keywords), 'A')
        || setweight(to_tsvector('indonesian'::regconfig, summary), 'B')
        || setweight(to_tsvector('indonesian'::regconfig, body), 'C')
        || setweight(to_tsvector('indonesian'::regconfig, context), 'D')
    ) STORED
    """,
    """
    ALTER TABLE search_entry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('indonesian'::regconfig, title || ' ' || keywords)
    ) STORED
    """,
    """
    ALTER TABLE search_entry ADD COLUMN suggest_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title || ' ' || keywords)
    ) STORED
    """,
    # lz4 decompresses a stored tsvector about a third faster than the default pglz, and a
    # common word's search decompresses a few hundred of them (bench/search). Builds
    # without lz4 keep the default.
    """
    DO $$ BEGIN
        ALTER TABLE search_entry ALTER COLUMN document SET COMPRESSION lz4;
        ALTER TABLE search_entry ALTER COLUMN body SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
    END $$
    """,
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_title ON search_entry USING gin (title_vector)",
    "CREATE INDEX search_entry_suggest ON search_entry USING gin (suggest_vector)",
    "CREATE INDEX search_entry_evergreen ON search_entry USING gin (document) "
    "WHERE published_at IS NULL",
    "CREATE INDEX search_term_trigram ON search_term USING gin (word gin_trgm_ops)",
    # The "newest" sort and the candidates of a common word's ranking walk these backwards
    # in time; undated entries (services, apps, OPDs) go last here and have their own index.
    "CREATE INDEX search_entry_recent ON search_entry (published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX search_entry_kind_recent "
    "ON search_entry (kind, published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX search_entry_opd_recent "
    "ON search_entry (opd_id, published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX search_entry_year_recent "
    "ON search_entry (year, published_at DESC NULLS LAST, id DESC)",
]

POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_recent",
    "DROP INDEX IF EXISTS search_entry_kind_recent",
    "DROP INDEX IF EXISTS search_entry_opd_recent",
    "DROP INDEX IF EXISTS search_entry_year_recent",
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_entry_evergreen",
    "DROP INDEX IF EXISTS search_entry_suggest",
    "DROP INDEX IF EXISTS search_entry_title",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS suggest_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]

SQLITE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "title, summary, body, context, raw, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    # SQLite sorts NULL lowest, so DESC already puts undated entries last.
    "CREATE INDEX search_entry_recent ON search_entry (published_at DESC, id DESC)",
    "CREATE INDEX search_entry_kind_recent ON search_entry (kind, published_at DESC, id DESC)",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_recent",
    "DROP INDEX IF EXISTS search_entry_kind_recent",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
