"""Full-text search on SQLite: FTS5 indexes of the searchable tables and a word list, kept by triggers.

Each searchable table has an external-content FTS5 index (``search_fts_<table>``: the table's own
columns, ``unicode61 remove_diacritics 2``, so "lønn" and "lonn", "é" and "e" meet). Triggers on the
table keep it current on every insert, update and delete, whatever writes: the services, the admin,
``load_kb``, ``import_kb``, ``restore_kb`` and the demo generator's bulk inserts alike.

The same triggers add the words of every written row to ``search_word`` (the words come from
``kb_search_words``, a function every connection of this project registers, see ``search.apps``),
and ``search_word_trigram`` indexes those words by trigram: a misspelt term finds its nearest words
without comparing it with every word. Words of deleted rows stay, as on PostgreSQL.

``ensure`` creates whatever is missing and rebuilds an index whose triggers were missing: SQLite
rebuilds a table for most schema changes, dropping its triggers, so it runs after every ``migrate``
as well as in this app's migration. Nothing here runs on other databases.
"""

import json
import re

# table -> the columns of its FTS5 index (the ``excerpt`` is the source's own words the row cites).
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "roles_role": ("title_en", "abbreviation_en", "title_nb", "abbreviation_nb", "excerpt"),
    "roles_roletitle": ("title", "excerpt"),
    "responsibilities_duty": ("title_en", "title_nb", "description_en", "description_nb", "excerpt"),
    "roles_qualification": ("text_en", "text_nb", "excerpt"),
    "roles_rolefact": ("text_en", "text_nb", "excerpt"),
    "roles_reportingline": ("note_en", "note_nb", "excerpt"),
    "responsibilities_dutycategory": ("name_en", "name_nb"),
}

TOKENIZER = "unicode61 remove_diacritics 2"
MIN_WORD_LENGTH = 3
_WORD = re.compile(r"\w+")


def words_of(*texts: str | None) -> str:
    """The distinct lower-cased words of the texts (at least ``MIN_WORD_LENGTH`` letters), as a JSON array."""
    found: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall((text or "").casefold()):
            if len(word) >= MIN_WORD_LENGTH and not word.isdigit():
                found[word] = None
    return json.dumps(list(found), ensure_ascii=False)


def fts_table(table: str) -> str:
    return f"search_fts_{table}"


def _statements(table: str, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """(trigger name, CREATE TRIGGER statement) for the table's insert, update and delete."""
    fts = fts_table(table)
    names = ", ".join(f'"{column}"' for column in columns)
    new = ", ".join(f'new."{column}"' for column in columns)
    old = ", ".join(f'old."{column}"' for column in columns)
    add = f'INSERT INTO "{fts}" (rowid, {names}) VALUES (new."id", {new});'  # noqa: S608 - fixed identifiers; values are parameters
    remove = f'INSERT INTO "{fts}" ("{fts}", rowid, {names}) VALUES (\'delete\', old."id", {old});'  # noqa: S608 - fixed identifiers; values are parameters
    words = f'INSERT OR IGNORE INTO "search_word" ("word") SELECT value FROM json_each(kb_search_words({new}));'  # noqa: S608 - fixed identifiers; values are parameters
    return [
        (f"{fts}_insert", f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {add} {words} END'),
        (f"{fts}_update", f'CREATE TRIGGER "{fts}_update" AFTER UPDATE ON "{table}" BEGIN {remove} {add} {words} END'),
        (f"{fts}_delete", f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {remove} END'),
    ]


def ensure(connection) -> None:
    """Create the indexes, word list and triggers that are missing; refill an index whose triggers were."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for (name,) in cursor.fetchall()}
        if "search_word" not in existing:
            cursor.execute('CREATE TABLE "search_word" ("id" integer PRIMARY KEY, "word" text NOT NULL UNIQUE)')
            cursor.execute(
                'CREATE VIRTUAL TABLE "search_word_trigram" USING fts5('
                "\"word\", content='search_word', content_rowid='id', tokenize='trigram')"
            )
            cursor.execute(
                'CREATE TRIGGER "search_word_insert" AFTER INSERT ON "search_word" BEGIN '
                'INSERT INTO "search_word_trigram" (rowid, "word") VALUES (new."id", new."word"); END'
            )
        for table, columns in DOCUMENTS.items():
            if table not in existing:
                continue  # not migrated yet: the next migrate's run creates it
            fts = fts_table(table)
            stale = fts not in existing
            if stale:
                names = ", ".join(f'"{column}"' for column in columns)
                cursor.execute(
                    f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, '
                    f"content='{table}', content_rowid='id', tokenize='{TOKENIZER}')"
                )
            for trigger, create in _statements(table, columns):
                if trigger not in existing:
                    stale = True
                    cursor.execute(create)
            if stale:  # rows written while the triggers were missing: index them all again
                cursor.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')  # noqa: S608 - fixed identifiers; values are parameters
                new = ", ".join(f'"{column}"' for column in columns)
                cursor.execute(
                    f'INSERT OR IGNORE INTO "search_word" ("word") '  # noqa: S608 - fixed identifiers; values are parameters
                    f'SELECT value FROM "{table}", json_each(kb_search_words({new}))'
                )


def drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in DOCUMENTS:
            fts = fts_table(table)
            for event in ("insert", "update", "delete"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{event}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')
        cursor.execute('DROP TABLE IF EXISTS "search_word_trigram"')
        cursor.execute('DROP TABLE IF EXISTS "search_word"')
