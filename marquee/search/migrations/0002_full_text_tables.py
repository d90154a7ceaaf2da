"""The full-text tables of each database. They are not Django models: SQLite gets FTS5 virtual
tables, PostgreSQL a generated tsvector column and GIN indexes (pg_trgm)."""

from django.db import migrations

SQLITE = [
    # Words: accents removed, every script's letters, numbers and marks are word characters;
    # prefix indexes make "mi*" and "mir*" as cheap as whole words.
    """CREATE VIRTUAL TABLE search_words USING fts5(
        names, aka, extra,
        content='search_document', content_rowid='rank',
        tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
        prefix='2 3'
    )""",
    # Trigrams: substrings, and Chinese or Japanese titles written without spaces.
    """CREATE VIRTUAL TABLE search_trigrams USING fts5(
        names, aka,
        content='search_document', content_rowid='rank',
        tokenize='trigram'
    )""",
]
SQLITE_REVERSE = ["DROP TABLE search_trigrams", "DROP TABLE search_words"]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Titles weigh A, alternate titles B, other spellings and the year C. The text is already
    # folded and split into words by marquee.search.text, so the 'simple' configuration only
    # splits on the spaces it finds.
    """ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, names), 'A')
        || setweight(to_tsvector('simple'::regconfig, aka), 'B')
        || setweight(to_tsvector('simple'::regconfig, extra), 'C')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
    """CREATE INDEX search_document_trigrams ON search_document
        USING gin ((names || ' ' || aka) gin_trgm_ops)""",
    # Prefix ranges compare code points, as SQLite does, whatever the database's collation.
    'CREATE INDEX search_titlekey_prefix ON search_titlekey ((key COLLATE "C"))',
]
POSTGRESQL_REVERSE = [
    "DROP INDEX search_titlekey_prefix",
    "DROP INDEX search_document_trigrams",
    "DROP INDEX search_document_vector",
    "ALTER TABLE search_document DROP COLUMN vector",
]


def run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
