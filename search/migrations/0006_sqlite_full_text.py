"""Full-text search on SQLite: FTS5 indexes of the searchable tables, a word list and their triggers.

What it creates is described in ``search.sqlite_schema``, which also runs after every ``migrate``
(SQLite drops a table's triggers when it rebuilds the table for a schema change). SQLite only, as the
full-text columns and indexes of 0001–0003 are PostgreSQL only; the migration state is unchanged.
"""

from django.db import migrations


def create(apps, schema_editor):
    from search import sqlite_schema

    sqlite_schema.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    from search import sqlite_schema

    sqlite_schema.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_thesaurus_seed"),
        ("roles", "0004_text_limits"),
        ("responsibilities", "0006_editors_edit_the_matrix"),
    ]

    operations = [migrations.RunPython(create, drop)]
