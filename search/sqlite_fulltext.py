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
from django.db.models import FloatField, IntegerField
from django.db.models.expressions import RawSQL

from .highlighting import has_match
from .query import COUNTED_MATCHES, Unit, nearest, stems
from .sqlite_schema import DOCUMENTS, fts_table
from .targets import Target

MIN_CORRECTED_LENGTH = 3
MIN_PREFIX_LENGTH = 3
CANDIDATES = 50
RANKED_MATCHES = 200
NAME_WEIGHT, TEXT_WEIGHT, EXCERPT_WEIGHT = 4.0, 1.0, 0.6
OWN_WORDS = 0.5  # added to the rank of a row holding the words as typed, not only a synonym


def alternatives(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The nearest known word of each misspelt term (the word list's trigrams). One query.

    Returns the alternatives of each term and, apart, the fixes (term → word), as ``fulltext``
    does on PostgreSQL. Longer forms need no lookup here: every term is searched as a prefix.
    """
    # Always one query, even with no term to check, so that every search costs the same.
    checked = [term for term in terms if len(term) >= MIN_CORRECTED_LENGTH and not term.isdigit()] or [""]
    params: list[Any]
    parts, params = (
        ['SELECT \'\', "word" FROM "search_word" WHERE "word" IN (' + ", ".join("%s" for _ in checked) + ")"],  # noqa: S608 - fixed identifiers; values are parameters
        [*checked],
    )
    for term in filter(None, checked):
        # A term that begins a word of the list, or whose stem does, is no typo ("budgets", "lønn").
        for prefix in (term, *stems(term)):
            parts.append(
                'SELECT * FROM (SELECT \'\', %s FROM "search_word" WHERE "word" >= %s AND "word" < %s LIMIT 1)'
            )
            params += [term, prefix, prefix + "\U0010ffff"]
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
        if term in known:
            continue
        best = nearest(term, [word for tag, word in rows if tag == term])
        if best:
            found[term] = [best]
            fixes[term] = best
    return found, fixes


def match_expression(units: list[Unit], *, synonyms: bool = True) -> str:
    """The FTS5 query: every unit, each through any of its alternatives; single words also as prefixes.

    Without ``synonyms``: the words as typed, their forms and corrections only.
    """

    def alternative(phrase: tuple[str, ...], synonym: bool) -> str:
        # A synonym is a whole word of the thesaurus: searched as it is, its forms through its stems.
        if len(phrase) == 1 and not synonym:
            word = phrase[0]
            return f'"{word}"*' if len(word) >= MIN_PREFIX_LENGTH else f'"{word}"'
        return '"' + " ".join(phrase) + '"'

    clauses = []
    for unit in units:
        options = list(
            dict.fromkeys(alternative(phrase, " ".join(phrase) in unit.synonyms) for phrase in unit.searched(synonyms))
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
) -> tuple[list[tuple[object, float]], int]:
    """The best matches of the kind from ``offset``, and how many match (up to ``COUNTED_MATCHES``). One query.

    The rank is bm25 (names weighing most) put on a 0–1 scale (x / (1 + x)), plus the target's prior
    (a cited source, a name equal to one of ``wanted``), plus ``OWN_WORDS`` when the row's text holds
    every unit's words as typed (``own``, one list of words per unit: no thesaurus synonym). As on
    PostgreSQL a word found in most rows would have all its matches ranked; only the first
    ``RANKED_MATCHES`` (or as many as the page reaches) are. The full-text query is evaluated once:
    SQLite materialises the ranked matches and reads them for the rows' ranks.
    """
    table = target.model._meta.db_table
    fts = fts_table(table)
    weights = _weights(table)
    ranked = max(RANKED_MATCHES, offset + limit)
    ranked_sql = f'SELECT rowid AS "id", -bm25("{fts}", {weights}) AS "x" FROM "{fts}" WHERE "{fts}" MATCH %s LIMIT %s'  # noqa: S608 - fixed identifiers; values are parameters
    prior_sql, prior_params = target.prior(f'"{table}"', wanted or [])
    # Only table and column names from the model's metadata and fixed weights are formatted into the
    # SQL; the expressions and names are parameters.
    best = RawSQL(  # noqa: S611 - identifiers only, values are parameters
        f'SELECT ranked."id" FROM ({ranked_sql}) AS ranked JOIN "{table}" ON "{table}"."id" = ranked."id"'  # noqa: S608
        f' ORDER BY ranked."x" / (1.0 + ranked."x") + {prior_sql} DESC, ranked."id" LIMIT %s OFFSET %s',
        [expression, ranked, *prior_params, limit, offset],
    )
    queryset = (
        target.rows()
        .filter(pk__in=best)
        .annotate(
            search_rank=RawSQL(  # noqa: S611 - identifiers only, values are parameters
                f'(SELECT ranked."x" / (1.0 + ranked."x") FROM ({ranked_sql}) AS ranked'  # noqa: S608
                f' WHERE ranked."id" = "{table}"."id") + {prior_sql}',
                [expression, ranked, *prior_params],
                FloatField(),
            ),
            search_total=RawSQL(  # noqa: S611 - identifiers only, values are parameters
                f'SELECT count(*) FROM (SELECT 1 FROM "{fts}" WHERE "{fts}" MATCH %s LIMIT %s)',  # noqa: S608
                [expression, COUNTED_MATCHES + 1],
                IntegerField(),
            ),
        )
    )
    rows = list(queryset)
    found = [(row, row.search_rank + (OWN_WORDS if own and _holds(row, target, own) else 0.0)) for row in rows]
    found.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return found, (rows[0].search_total if rows else 0)


def _holds(row: object, target: Target, own: list[list[str]]) -> bool:
    """Whether the row's searched text holds a word of every unit as typed (or a form of it)."""
    text = " ".join(str(getattr(row, name) or "") for name in target.fields)
    return all(has_match(text, words) for words in own)
