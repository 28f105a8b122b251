"""Indexes for search on PostgreSQL: full text (english + norwegian) and trigram similarity.

The full-text indexes are expression indexes whose expressions are exactly the SQL
that ``search.search`` builds with ``SearchVector(..., config=...)``, so
the planner can use them. Nothing here runs on other databases (SQLite uses a
plain substring fallback), and the migration state is unchanged.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (table, index name suffix, config, columns) for the full-text expression indexes.
FULL_TEXT = [
    ("roles_role", "en", "english", ["title_en", "abbreviation_en"]),
    ("roles_role", "nb", "norwegian", ["title_nb", "abbreviation_nb"]),
    ("roles_roletitle", "en", "english", ["title"]),
    ("roles_roletitle", "nb", "norwegian", ["title"]),
    ("responsibilities_duty", "en", "english", ["title_en", "description_en"]),
    ("responsibilities_duty", "nb", "norwegian", ["title_nb", "description_nb"]),
    ("roles_qualification", "en", "english", ["text_en"]),
    ("roles_qualification", "nb", "norwegian", ["text_nb"]),
]

# (table, column) for the trigram indexes behind typo-tolerant matching.
TRIGRAM = [
    ("roles_role", "title_en"),
    ("roles_role", "title_nb"),
    ("roles_role", "abbreviation_en"),
    ("roles_role", "abbreviation_nb"),
    ("roles_roletitle", "title"),
    ("responsibilities_duty", "title_en"),
    ("responsibilities_duty", "title_nb"),
    ("roles_qualification", "text_en"),
    ("roles_qualification", "text_nb"),
]


def _document(config, columns):
    joined = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('{config}'::regconfig, {joined})"


def _statements():
    for table, suffix, config, columns in FULL_TEXT:
        yield (
            f'CREATE INDEX IF NOT EXISTS "{table}_fts_{suffix}" ON "{table}" USING gin ({_document(config, columns)})',
            f'DROP INDEX IF EXISTS "{table}_fts_{suffix}"',
        )
    for table, column in TRIGRAM:
        yield (
            f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" USING gin ("{column}" gin_trgm_ops)',
            f'DROP INDEX IF EXISTS "{table}_{column}_trgm"',
        )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for create, _drop in _statements():
        schema_editor.execute(create)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop in _statements():
        schema_editor.execute(drop)


class Migration(migrations.Migration):
    # Created as responsibilities 0003 before search had an app of its own; a database that applied
    # it there counts this one as applied.
    replaces = [("responsibilities", "0003_search_indexes")]
    dependencies = [
        ("responsibilities", "0002_editors_group"),
        ("roles", "0001_initial"),
    ]

    operations = [
        # CREATE EXTENSION IF NOT EXISTS pg_trgm; Django skips it on other databases.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
