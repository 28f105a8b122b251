"""Typo tolerance through a word list, on PostgreSQL.

Until now a typo was matched by trigram word similarity against every name of every row: each
search compared its terms with thousands of titles and texts, and at 10,000 roles that took more
time than the rest of the search together, even for words spelled right.

This follows pg_trgm's own advice for spelling suggestions: keep a table of the distinct words in
the searchable texts (``search_word``, a few thousand even at 10,000 roles), find the nearest word
to a term the knowledge base does not contain from a GiST trigram index, and search the full-text
documents for that word as well. Statement-level triggers add the words of every inserted or
updated row (bulk inserts included), so the list never lags behind the content; words of deleted
rows stay, which costs nothing but a correction that finds nothing more. A word may be listed twice
(there is no unique constraint, so concurrent writers never wait for each other's new words).

The trigram indexes on the names (0001's GIN, 0002's GiST) served the old matching only and are
dropped. The full-text GIN indexes stay, without their pending list (see below). PostgreSQL only, like
0001 and 0002; the migration state is unchanged.
"""

from django.db import migrations

# table -> the columns whose words are searchable (the same as the full-text documents).
SEARCHABLE = {
    "roles_role": ["title_en", "title_nb", "abbreviation_en", "abbreviation_nb"],
    "roles_roletitle": ["title"],
    "responsibilities_duty": ["title_en", "title_nb", "description_en", "description_nb"],
    "roles_qualification": ["text_en", "text_nb"],
}

# The name indexes that typo matching used before, (table, column), as 0001 and 0002 made them.
NAME_INDEXES = [
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

MIN_WORD_LENGTH = 3

# The full-text GIN indexes of 0002, one per table and language.
FULL_TEXT_INDEXES = [f"{table}_fts_{language}" for table in SEARCHABLE for language in ("en", "nb")]


def _new_words_of(rows: str, columns: list[str]) -> str:
    """SELECT of the words of ``rows`` not listed yet: the 'simple' parser's lower-cased words (it knows æ, ø, å)."""
    text = "concat_ws(' ', " + ", ".join(f'"{column}"' for column in columns) + ")"
    return (
        "SELECT DISTINCT found.word FROM "
        f"{rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {text}))) AS found(word)"
        f" WHERE length(found.word) >= {MIN_WORD_LENGTH}"
        ' AND NOT EXISTS (SELECT FROM "search_word" AS listed WHERE listed."word" = found.word)'
    )


def create_word_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    # No unique constraint, on purpose: two transactions adding the same new word would otherwise
    # wait for each other (or deadlock). A word listed twice costs nothing; readers take DISTINCT.
    execute('CREATE TABLE IF NOT EXISTS "search_word" ("word" text NOT NULL)')
    execute('CREATE INDEX IF NOT EXISTS "search_word_word" ON "search_word" ("word")')
    execute('CREATE INDEX IF NOT EXISTS "search_word_trgm_gist" ON "search_word" USING gist ("word" gist_trgm_ops)')
    for table, columns in SEARCHABLE.items():
        # EXECUTE plans the statement for each call: a plan cached by PL/pgSQL would keep the row
        # estimates of the first statement it saw (one row, from a form) for a bulk insert of 20,000.
        insert = f'INSERT INTO "search_word" ("word") {_new_words_of("new_rows", columns)}'.replace("'", "''")
        execute(
            f'CREATE OR REPLACE FUNCTION "{table}_search_words"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            f"EXECUTE '{insert}'; RETURN NULL; END $$"
        )
        # A trigger with a transition table handles one event, hence one per event.
        for event in ("INSERT", "UPDATE"):
            trigger = f"{table}_search_words_{event.lower()}"
            execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"')
            execute(
                f'CREATE TRIGGER "{trigger}" AFTER {event} ON "{table}" '
                f'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "{table}_search_words"()'
            )
        quoted = f'"{table}"'
        execute(f'INSERT INTO "search_word" ("word") {_new_words_of(quoted, columns)}')
        for _table, column in (pair for pair in NAME_INDEXES if pair[0] == table):
            execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')
            execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm_gist"')
    # GIN's fast update parks new entries in a pending list that every search then scans linearly until
    # a vacuum merges it: after a bulk load, 3 ms per index and query instead of 0.05 ms. Reads far
    # outnumber writes here, so entries go straight into the index.
    for index in FULL_TEXT_INDEXES:
        execute(f'ALTER INDEX "{index}" SET (fastupdate = off)')
        execute(f"SELECT gin_clean_pending_list('\"{index}\"'::regclass)")
    execute('ANALYZE "search_word"')


def drop_word_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for table in SEARCHABLE:
        for event in ("insert", "update"):
            execute(f'DROP TRIGGER IF EXISTS "{table}_search_words_{event}" ON "{table}"')
        execute(f'DROP FUNCTION IF EXISTS "{table}_search_words"()')
    execute('DROP TABLE IF EXISTS "search_word"')
    for index in FULL_TEXT_INDEXES:
        execute(f'ALTER INDEX "{index}" RESET (fastupdate)')
    for table, column in NAME_INDEXES:
        execute(f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" USING gin ("{column}" gin_trgm_ops)')
        execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm_gist" ON "{table}" '
            f'USING gist (lower("{column}") gist_trgm_ops)'
        )


class Migration(migrations.Migration):
    replaces = [("responsibilities", "0005_search_words")]
    dependencies = [
        ("search", "0002_search_documents"),
    ]

    operations = [
        migrations.RunPython(create_word_list, drop_word_list),
    ]
