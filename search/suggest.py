"""Suggestions as a person types: roles whose names begin with what was typed, and words of the knowledge base.

Two queries, whatever the size of the knowledge base. Role names — a role's own titles and
abbreviations and its other titles — that hold every typed word, the last one as the beginning of a
word (SQLite: the FTS5 indexes' name columns; PostgreSQL: the full-text documents' GIN indexes, then a
word-prefix match on the names themselves). Only the
first ``SCANNED`` matching names are read and the shortest kept, so a prefix shared by thousands of
roles ("phys") costs no more than a rare one. Then words of the word list that begin with the last
word typed, shortest first.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils.http import urlencode

from knowledge.languages import column

from .sqlite_schema import fts_table
from .terms import WORD

MAX_ROLES = 6
MAX_WORDS = 4
SCANNED = 60
MIN_LENGTH = 2
MAX_WORDS_TYPED = 6


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "role" or "term"
    text: str  # what to show: the role's name as it matched (with its title when that differs), or the words
    url: str  # the role's page, or the search for the words


def suggest(raw: str | None, *, language: str) -> list[Suggestion]:
    """Roles and words for what has been typed so far; nothing for less than two letters."""
    words = WORD.findall((raw or "").casefold())[:MAX_WORDS_TYPED]
    if not words or sum(len(word) for word in words) < MIN_LENGTH:
        return []
    found: list[Suggestion] = []
    seen: set[int] = set()
    title_column = column("title", language)
    for role_id, slug, title, fallback, name in sorted(
        _names(words, title_column), key=lambda row: (len(row[4]), row[4])
    ):
        if role_id in seen or len(seen) >= MAX_ROLES:
            continue
        seen.add(role_id)
        label = title or fallback
        text = label if name.casefold() == label.casefold() else f"{name} ({label})"
        found.append(Suggestion("role", text, reverse("descriptions:detail", kwargs={"slug": slug})))
    head = " ".join(words[:-1])
    search = reverse("search:search")
    for word in _words(words[-1]):
        text = f"{head} {word}".strip()
        found.append(Suggestion("term", text, f"{search}?{urlencode({'q': text})}"))
    return found


def _names(words: list[str], title_column: str) -> list[tuple[int, str, str, str, str]]:
    """(role id, slug, title in the reader's language, English title, the name that matched). One query."""
    params: list[Any]
    other = "title_en" if title_column != "title_en" else "title_nb"
    if connection.vendor == "sqlite":
        roles, titles = fts_table("roles_role"), fts_table("roles_roletitle")
        expression = " AND ".join([*(f'"{word}"' for word in words[:-1]), f'"{words[-1]}"*'])
        sql = (
            f'SELECT r."id", r."slug", r."{title_column}", r."{other}", m."name" FROM ('  # noqa: S608 - fixed identifiers; values are parameters
            f' SELECT * FROM (SELECT rowid AS "role_id", NULL AS "name" FROM "{roles}"'
            f' WHERE "{roles}" MATCH %s LIMIT %s)'
            f' UNION ALL SELECT * FROM (SELECT t."role_id", t."title" FROM "{titles}"'
            f' JOIN "roles_roletitle" AS t ON t."id" = "{titles}".rowid WHERE "{titles}" MATCH %s LIMIT %s)'
            f') AS m JOIN "roles_role" AS r ON r."id" = m."role_id"'
        )
        params = [
            f"{{title_en abbreviation_en title_nb abbreviation_nb}}: ({expression})",
            SCANNED,
            f"{{title}}: ({expression})",
            SCANNED,
        ]
    else:

        def holds(name: str) -> tuple[str, list[str]]:
            # Every word at the start of a word of the name: ' ' || name LIKE '% word%'.
            clauses = [f"(' ' || lower({name})) LIKE %s" for _ in words]
            return " AND ".join(clauses), [f"% {_like(word)}%" for word in words]

        # The full-text documents (GIN-indexed) find the candidates; the names must then hold the words.
        tsquery = " & ".join([*(f"'{word}'" for word in words[:-1]), f"'{words[-1]}':*"])
        indexed = (
            "(\"search_en\" @@ to_tsquery('english'::regconfig, %s)"
            " OR \"search_nb\" @@ to_tsquery('norwegian'::regconfig, %s))"
        )
        names = ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb")
        role_where = []
        role_params: list[str] = []
        for name in names:
            clause, params = holds(f'"{name}"')
            role_where.append(f"({clause})")
            role_params += params
        title_where, title_params = holds('t."title"')
        sql = (
            f'SELECT r."id", r."slug", r."{title_column}", r."{other}", m."name" FROM ('  # noqa: S608 - fixed identifiers; values are parameters
            f' (SELECT "id" AS "role_id", NULL::text AS "name" FROM "roles_role"'
            f" WHERE {indexed} AND ({' OR '.join(role_where)}) LIMIT %s)"
            f' UNION ALL (SELECT t."role_id", t."title" FROM "roles_roletitle" AS t'
            f" WHERE {indexed.replace(chr(34) + 'search', 't.' + chr(34) + 'search')} AND {title_where} LIMIT %s)"
            f') AS m JOIN "roles_role" AS r ON r."id" = m."role_id"'
        )
        params = [tsquery, tsquery, *role_params, SCANNED, tsquery, tsquery, *title_params, SCANNED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (role_id, slug, title or "", fallback or "", name or title or fallback or "")
            for role_id, slug, title, fallback, name in cursor.fetchall()
        ]


def _words(prefix: str) -> list[str]:
    """Words of the word list that begin with ``prefix`` and are longer, shortest first. One query."""
    if len(prefix) < MIN_LENGTH:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "word" FROM (SELECT DISTINCT "word" FROM "search_word" WHERE "word" >= %s AND "word" < %s'
            ' AND "word" <> %s LIMIT 200) AS w ORDER BY length("word"), "word" LIMIT %s',
            [prefix, prefix + "\U0010ffff", prefix, MAX_WORDS],
        )
        return [word for (word,) in cursor.fetchall()]


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
