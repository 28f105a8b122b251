"""Matching on SQLite: FTS5 full-text search ranked by bm25, with word forms, compounds and typos.

The indexes, the word list and the triggers that keep them are ``search.sqlite_schema``'s. One
query looks up which terms are words of the knowledge base and, for those that are not, the
nearest words (from the word list's trigram index); then one query per kind of row matches the
units of the query (``search.query``) and ranks the best matches with bm25, names weighing most.
Every word is also a prefix ("kvalitet" finds "kvalitetsarbeid", "cardio" "cardiology"), and so is
each of its stems ("budgets" → budget*, "lønnen" → lønn*).
"""

from typing import Any

from django.db import connection

from .highlighting import has_match
from .query import COUNTED_MATCHES, Unit, forms_of, nearest, stems
from .sqlite_schema import DOCUMENTS, fts_table
from .targets import Target

MIN_CORRECTED_LENGTH = 3
MIN_PREFIX_LENGTH = 3
PREFIX_WORDS = 5  # a stem stands for the shortest of its forms that the list holds, as on PostgreSQL
FORM_CANDIDATES = 50  # the words a stem begins that are read to find its forms among them
CANDIDATES = 50
RANKED_MATCHES = 200
NAME_WEIGHT, TEXT_WEIGHT, EXCERPT_WEIGHT = 4.0, 1.0, 0.6
OWN_WORDS = 0.5  # added to the rank of a row holding the words as typed, not only a synonym


def alternatives(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The forms of each term's stems, and the nearest known word of each misspelt term. One query.

    As ``fulltext`` does on PostgreSQL, each of a term's English and Norwegian stems stands for the
    shortest ``PREFIX_WORDS`` words of the list that begin with it and are forms of it
    (``query.forms_of``: "budgets" → budget, budgeting),
    and a term that is no word of the list for its nearest word (from the word list's trigrams).
    The term itself is searched as a prefix (``match_expression``), so its own longer forms need no
    lookup; a stem is not, as it would also find words of other families ("medic" → "medicine").
    Returns the alternatives of each term and, apart, the fixes (term → word).
    """
    # Always one query, even with no term to check, so that every search costs the same.
    checked = [term for term in terms if len(term) >= MIN_CORRECTED_LENGTH and not term.isdigit()] or [""]
    params: list[Any]
    parts, params = (
        ['SELECT \'\', "word" FROM "search_word" WHERE "word" IN (' + ", ".join("%s" for _ in checked) + ")"],  # noqa: S608 - fixed identifiers; values are parameters
        [*checked],
    )
    for term in filter(None, checked):
        # A term that begins a word of the list, or whose stem has forms there, is no typo ("budgets", "lønn").
        parts.append('SELECT * FROM (SELECT \'\', %s FROM "search_word" WHERE "word" >= %s AND "word" < %s LIMIT 1)')
        params += [term, term, term + "\U0010ffff"]
        for stem in stems(term):
            parts.append(
                'SELECT * FROM (SELECT %s, "word" FROM "search_word" WHERE "word" >= %s AND "word" < %s'
                ' ORDER BY length("word"), "word" LIMIT %s)'
            )
            params += [f"{term} {stem}", stem, stem + "\U0010ffff", FORM_CANDIDATES]
        trigrams = " OR ".join(f'"{term[i : i + 3]}"' for i in range(len(term) - 2))
        parts.append(
            'SELECT * FROM (SELECT %s, "word" FROM "search_word_trigram" WHERE "search_word_trigram" MATCH %s'
            " ORDER BY rank LIMIT %s)"
        )
        params += [term, trigrams, CANDIDATES]
        parts.append('SELECT * FROM (SELECT %s, "word" FROM "search_word" WHERE "word" >= %s AND "word" < %s LIMIT %s)')
        params += [term, term[:2], term[:2] + "\U0010ffff", CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    known = {word for tag, word in rows if tag == ""}
    found: dict[str, list[str]] = {}
    fixes: dict[str, str] = {}
    for term in filter(None, checked):
        forms = [
            form
            for stem in stems(term)
            for form in forms_of(stem, [word for tag, word in rows if tag == f"{term} {stem}"], PREFIX_WORDS)
            if form != term
        ]
        if forms:
            found[term] = list(dict.fromkeys(forms))
        if term in known or forms:
            continue
        best = nearest(term, [word for tag, word in rows if tag == term])
        if best:
            found.setdefault(term, []).append(best)
            fixes[term] = best
    return found, fixes


def match_expression(units: list[Unit], *, synonyms: bool = True) -> str:
    """The FTS5 query: every unit, each through any of its alternatives; a word as typed also as a prefix.

    Without ``synonyms``: the words as typed, their forms and corrections only.
    """

    def alternative(phrase: tuple[str, ...], typed: bool) -> str:
        # Only the word as typed is a prefix ("kvalitet" finds "kvalitetsarbeid"); its stems, their
        # forms, its correction and thesaurus synonyms are whole words (see ``alternatives``).
        if typed and len(phrase[0]) >= MIN_PREFIX_LENGTH:
            return f'"{phrase[0]}"*'
        return '"' + " ".join(phrase) + '"'

    clauses = []
    for unit in units:
        prefix = unit.text if " " not in unit.text and len(unit.text) >= MIN_PREFIX_LENGTH else None
        options = list(
            dict.fromkeys(
                alternative(phrase, phrase == (unit.text,))
                for phrase in unit.searched(synonyms)
                # A form the typed word begins is found by its prefix already; bm25 would count it twice.
                if not (prefix and len(phrase) == 1 and phrase[0] != prefix and phrase[0].startswith(prefix))
            )
        )
        clauses.append("(" + " OR ".join(options) + ")")
    return " AND ".join(clauses)


def _weights(table: str) -> str:
    def weight(column: str) -> float:
        if column == "excerpt":
            return EXCERPT_WEIGHT
        if column.startswith(("title", "abbreviation", "name")):
            return NAME_WEIGHT
        return TEXT_WEIGHT

    return ", ".join(str(weight(column)) for column in DOCUMENTS[table])


def find(
    target: Target,
    expression: str,
    limit: int,
    offset: int = 0,
    *,
    own: list[list[str]] | None = None,
    wanted: list[str] | None = None,
) -> tuple[list[tuple[Any, float]], int]:
    """The best matches of the kind from ``offset``, and how many match (up to ``COUNTED_MATCHES``).

    The rank is bm25 (names weighing most) put on a 0–1 scale (x / (1 + x)), plus the target's prior
    (a cited source, a name equal to one of ``wanted``), plus ``OWN_WORDS`` when the row's text holds
    every unit's words as typed (``own``, one list of words per unit: no thesaurus synonym). As on
    PostgreSQL a word found in most rows would have all its matches ranked; only the first
    ``RANKED_MATCHES`` (or as many as the page reaches) are. One query ranks (the full-text match
    evaluated once, materialised) and counts; a second loads the page's rows, when there are any.
    """
    table = target.model._meta.db_table
    fts = fts_table(table)
    prior_sql, prior_params = target.prior('"row"', wanted or [])
    # Only table and column names from the model's metadata and fixed weights are formatted into the
    # SQL; the expression and names are parameters.
    sql = (
        f'WITH "ranked" AS MATERIALIZED (SELECT rowid AS "id", -bm25("{fts}", {_weights(table)}) AS "x"'  # noqa: S608
        f' FROM "{fts}" WHERE "{fts}" MATCH %s LIMIT %s)'
        # The count is a row of its own, joined to the page's: a page past the last still says how many match.
        ' SELECT "page"."id", "page"."score", "counted"."total"'
        f' FROM (SELECT count(*) AS "total" FROM (SELECT 1 FROM "{fts}" WHERE "{fts}" MATCH %s LIMIT %s)) AS "counted"'
        f' LEFT JOIN (SELECT "ranked"."id" AS "id", "ranked"."x" / (1.0 + "ranked"."x") + {prior_sql} AS "score"'
        f' FROM "ranked" JOIN "{table}" AS "row" ON "row"."id" = "ranked"."id"'
        ' ORDER BY "score" DESC, "ranked"."id" LIMIT %s OFFSET %s) AS "page" ON 1'
        ' ORDER BY "page"."score" DESC, "page"."id"'
    )
    params: list[Any] = [
        expression,
        max(RANKED_MATCHES, offset + limit),
        expression,
        COUNTED_MATCHES + 1,
        *prior_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        scored = cursor.fetchall()
    page = [(pk, score) for pk, score, _total in scored if pk is not None]
    found = [
        (row, score + (OWN_WORDS if own and _holds(row, target, own) else 0.0)) for row, score in target.load(page)
    ]
    found.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return found, scored[0][2]


def _holds(row: object, target: Target, own: list[list[str]]) -> bool:
    """Whether the row's searched text holds a word of every unit as typed (or a form of it)."""
    text = " ".join(str(getattr(row, name) or "") for name in target.fields)
    return all(has_match(text, words) for words in own)
