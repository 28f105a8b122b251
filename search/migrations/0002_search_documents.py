"""Stored full-text documents for search on PostgreSQL.

Migration 0001 indexed the full-text documents as expressions. The index finds the
matching rows, but ranking them (``ts_rank``) needs each row's document, and with an
expression index PostgreSQL rebuilds it with ``to_tsvector`` — parsing and stemming
the whole text — for every matching row. A common word ("lege") matches most duties,
so a search spent hundreds of milliseconds re-parsing text before it could sort.

This migration stores each document in a generated column (``search_en``,
``search_nb``: the same expressions as 0001's indexes, kept up to date by PostgreSQL
on every write) and moves the GIN indexes, under the same names, onto those columns.
``search.search`` matches and ranks against the stored columns.

It also adds GiST trigram indexes on the names matched for typos. The GIN trigram
indexes of 0001 find every near spelling, but a short word ("lege") is near to
thousands of names and the best ones can only be picked by computing the word
similarity of each. A GiST index returns rows nearest first (``ORDER BY name <->> query``),
so the best few are read without looking at the rest. They index ``lower(name)`` (word
similarity ignores case, so the distance is the same) so that they serve only this ordering,
and the filtering by ``%>`` keeps using the GIN indexes, which are faster at it.

The columns are PostgreSQL only and not model fields: the ORM never reads or writes
them (a generated column cannot be written), and the migration state is unchanged.
Nothing here runs on other databases.
"""

from django.db import migrations

# (table, language suffix, config, columns): the same documents as 0001.
DOCUMENTS = [
    ("roles_role", "en", "english", ["title_en", "abbreviation_en"]),
    ("roles_role", "nb", "norwegian", ["title_nb", "abbreviation_nb"]),
    ("roles_roletitle", "en", "english", ["title"]),
    ("roles_roletitle", "nb", "norwegian", ["title"]),
    ("responsibilities_duty", "en", "english", ["title_en", "description_en"]),
    ("responsibilities_duty", "nb", "norwegian", ["title_nb", "description_nb"]),
    ("roles_qualification", "en", "english", ["text_en"]),
    ("roles_qualification", "nb", "norwegian", ["text_nb"]),
]


# (table, column) for the GiST trigram indexes that hand out the nearest spellings first.
NEAREST = [
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


def store_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, suffix, config, columns in DOCUMENTS:
        index = f"{table}_fts_{suffix}"
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "search_{suffix}" tsvector '
            f"GENERATED ALWAYS AS ({_document(config, columns)}) STORED"
        )
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING gin ("search_{suffix}")')
    for table, column in NEAREST:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm_gist" ON "{table}" USING gist (lower("{column}") gist_trgm_ops)'
        )
    for table in dict.fromkeys(table for table, *_ in DOCUMENTS):
        schema_editor.execute(f'ANALYZE "{table}"')


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in NEAREST:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm_gist"')
    for table, suffix, config, columns in DOCUMENTS:
        index = f"{table}_fts_{suffix}"
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_{suffix}"')
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING gin ({_document(config, columns)})'
        )


class Migration(migrations.Migration):
    replaces = [("responsibilities", "0004_search_documents")]
    dependencies = [
        ("search", "0001_search_indexes"),
    ]

    operations = [
        migrations.RunPython(store_documents, drop_documents),
    ]
