"""Search everything a person might type, on PostgreSQL: key facts, reporting-line notes, duty
categories, and the source excerpts every fact cites.

The stored documents of 0002 are made again with the row's ``excerpt`` (the source's own words, in
the source's language, so in both documents), and key facts (``roles_rolefact``), reporting lines
(``roles_reportingline``, their notes) and duty categories get documents of their own, with GIN
indexes without a pending list like the others (0003). The word list's triggers (0003) cover the
same columns. PostgreSQL only; ``search.sqlite_schema`` indexes the same columns on SQLite. The
migration state is unchanged.
"""

from django.db import migrations

# table -> (english columns, norwegian columns)
DOCUMENTS = {
    "roles_role": (["title_en", "abbreviation_en", "excerpt"], ["title_nb", "abbreviation_nb", "excerpt"]),
    "roles_roletitle": (["title", "excerpt"], ["title", "excerpt"]),
    "responsibilities_duty": (
        ["title_en", "description_en", "excerpt"],
        ["title_nb", "description_nb", "excerpt"],
    ),
    "roles_qualification": (["text_en", "excerpt"], ["text_nb", "excerpt"]),
    "roles_rolefact": (["text_en", "excerpt"], ["text_nb", "excerpt"]),
    "roles_reportingline": (["note_en", "excerpt"], ["note_nb", "excerpt"]),
    "responsibilities_dutycategory": (["name_en"], ["name_nb"]),
}
OLD_DOCUMENTS = {
    "roles_role": (["title_en", "abbreviation_en"], ["title_nb", "abbreviation_nb"]),
    "roles_roletitle": (["title"], ["title"]),
    "responsibilities_duty": (["title_en", "description_en"], ["title_nb", "description_nb"]),
    "roles_qualification": (["text_en"], ["text_nb"]),
}
MIN_WORD_LENGTH = 3


def _document(config, columns):
    joined = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('{config}'::regconfig, {joined})"


def _new_words_of(rows, columns):
    text = "concat_ws(' ', " + ", ".join(f'"{column}"' for column in columns) + ")"
    return (
        "SELECT DISTINCT found.word FROM "
        f"{rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {text}))) AS found(word)"
        f" WHERE length(found.word) >= {MIN_WORD_LENGTH}"
        ' AND NOT EXISTS (SELECT FROM "search_word" AS listed WHERE listed."word" = found.word)'
    )


def _store(schema_editor, documents):
    execute = schema_editor.execute
    for table, (english, norwegian) in documents.items():
        for suffix, config, columns in (("en", "english", english), ("nb", "norwegian", norwegian)):
            index = f"{table}_fts_{suffix}"
            execute(f'DROP INDEX IF EXISTS "{index}"')
            execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_{suffix}"')
            execute(
                f'ALTER TABLE "{table}" ADD COLUMN "search_{suffix}" tsvector '
                f"GENERATED ALWAYS AS ({_document(config, columns)}) STORED"
            )
            execute(f'CREATE INDEX "{index}" ON "{table}" USING gin ("search_{suffix}") WITH (fastupdate = off)')
        columns = list(dict.fromkeys([*english, *norwegian]))
        insert = f'INSERT INTO "search_word" ("word") {_new_words_of("new_rows", columns)}'.replace("'", "''")
        execute(
            f'CREATE OR REPLACE FUNCTION "{table}_search_words"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            f"EXECUTE '{insert}'; RETURN NULL; END $$"
        )
        for event in ("INSERT", "UPDATE"):
            trigger = f"{table}_search_words_{event.lower()}"
            execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"')
            execute(
                f'CREATE TRIGGER "{trigger}" AFTER {event} ON "{table}" '
                f'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "{table}_search_words"()'
            )
        execute(f'INSERT INTO "search_word" ("word") {_new_words_of(chr(34) + table + chr(34), columns)}')
        execute(f'ANALYZE "{table}"')


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _store(schema_editor, DOCUMENTS)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS.keys() - OLD_DOCUMENTS.keys():
        for suffix in ("en", "nb"):
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_fts_{suffix}"')
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_{suffix}"')
        for event in ("insert", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_search_words_{event}" ON "{table}"')
        schema_editor.execute(f'DROP FUNCTION IF EXISTS "{table}_search_words"()')
    _store(schema_editor, OLD_DOCUMENTS)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_sqlite_full_text"),
    ]

    operations = [migrations.RunPython(forward, backward)]
