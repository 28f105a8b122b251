"""Matching on PostgreSQL: full-text search in english and norwegian, with word forms, compounds and typos.

One query looks the terms up in the list of the knowledge base's words (``search_word``,
migration ``0005_search_words``): a term also stands for the words that begin with it, and a
term that is no word of the knowledge base for its nearest word. Then one query per kind of
row matches the query as written or as expanded against the stored documents and ranks the
best matches.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, Field, Model

from .query import COUNTED_MATCHES, Unit, forms_of, nearest, stems
from .targets import Target
from .terms import WORD

# A term no word of the knowledge base is, and at least this long, is also searched for as its
# nearest word: the CANDIDATES nearest by trigram word similarity (at least WORD_SIMILARITY) are
# read from the GiST index, and the most alike in spelling chosen (``query.nearest``).
MIN_CORRECTED_LENGTH = 3
WORD_SIMILARITY = 0.2
CANDIDATES = 10
# A term at least this long also finds the shortest PREFIX_WORDS words that begin with it (compounds).
MIN_PREFIX_LENGTH = 3
PREFIX_WORDS = 5
# The words a stem begins that are read to find its forms among them (``query.forms_of``).
FORM_CANDIDATES = 50
# Full-text matches ranked per kind of row. A word found in nearly every row ("lege") would
# otherwise have tens of thousands ranked to show the best fifty.
RANKED_MATCHES = 200
# The full-text configurations each row has a document in (``search_en``, ``search_nb``).
CONFIGURATIONS = ["english", "norwegian"]
# What a match of the words as typed adds to the rank of a row (against one found by a synonym only).
OWN_WORDS = 0.5


def alternatives(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Words of the knowledge base to search for with each term: its longer forms, or its fix if misspelt. One query.

    The words are in ``search_word`` (migrations ``0003_search_words``, ``0007_more_documents``).
    A term of at least ``MIN_PREFIX_LENGTH`` letters, and each of its English and Norwegian stems,
    also stands for the shortest few words that begin with it, so "kvalitet" finds "kvalitetsarbeid",
    "cardio" "cardiology" and "budgets" (stem "budget") "budget". A term that is no word there and
    begins none, nor does any of its stems, also stands for its nearest word, from the GiST trigram
    index (``<->>`` is one minus the word similarity), so "medcal" finds "medical". Returns the
    alternatives of each term and, apart, the misspelt terms' fixes.
    """
    pairs = [(term, prefix) for term in terms for prefix in dict.fromkeys([term, *stems(term)])]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, prefix, alternative.word, alternative.fix"
            " FROM unnest(%s::text[], %s::text[]) AS t(term, prefix)"
            " CROSS JOIN LATERAL ("
            "  (SELECT DISTINCT word, false AS fix, char_length(word) FROM search_word"
            "   WHERE char_length(prefix) >= %s AND word ^@ prefix ORDER BY 3, word LIMIT %s)"
            "  UNION ALL"
            "  (SELECT word, true, 0 FROM (SELECT word, word <->> term AS distance FROM search_word"
            "    WHERE prefix = term AND char_length(term) >= %s"
            "    ORDER BY word <->> term LIMIT %s) AS nearest WHERE distance <= %s)"
            " ) AS alternative",
            [
                [term for term, _ in pairs],
                [prefix for _, prefix in pairs],
                MIN_PREFIX_LENGTH,
                FORM_CANDIDATES,
                MIN_CORRECTED_LENGTH,
                CANDIDATES,
                1.0 - WORD_SIMILARITY,
            ],
        )
        rows = cursor.fetchall()
    # A term is known when it, or a word it begins or a form of its stem, is in the list ("budgets" → budget).
    known = set()
    found: dict[str, list[str]] = {}
    fixes: dict[str, str] = {}
    begun: dict[tuple[str, str], list[str]] = {}
    for term, prefix, word, fix in rows:
        if not fix:
            begun.setdefault((term, prefix), []).append(word)
    for (term, prefix), words in begun.items():
        # The words the term begins are its compounds and forms; a stem's only its forms ("diagnos" → diagnoses).
        kept = words[: PREFIX_WORDS + 1] if prefix == term else forms_of(prefix, words, PREFIX_WORDS)
        if kept:
            known.add(term)
        for word in kept:
            if word != term and WORD.fullmatch(word) and word not in found.setdefault(term, []):
                found[term].append(word)
    for term in dict.fromkeys(term for term, _prefix, _word, _fix in rows):
        # The nearest by trigrams are only candidates: the nearest by spelling is chosen as on SQLite.
        best = None if term in known else nearest(term, [word for t, _p, word, fix in rows if fix and t == term])
        if best and WORD.fullmatch(best):
            found.setdefault(term, []).append(best)
            fixes[term] = best
    return found, fixes


@dataclass(frozen=True)
class Expressions:
    """A search's full-text queries, as ``tsquery`` text for each configuration.

    ``english`` and ``norwegian`` match through every alternative of every unit; ``own_english``
    and ``own_norwegian`` through the words as typed, their forms and corrections only, to rank rows
    holding the typed words above those found by a thesaurus synonym only; blank when no unit has
    a synonym.
    """

    english: str
    norwegian: str
    own_english: str
    own_norwegian: str


def expressions(query: str, units: list[Unit]) -> Expressions:
    """Every unit through any of its alternatives, ('a' | 'b' <-> 'c') & ('d'), parsed by each configuration. One query.

    The database stems each alternative, and alternatives that stem alike are searched once:
    "lege", "legen" and "leger" are one 'leg' in Norwegian. Beyond the work saved on every row,
    that keeps the planner's estimate of how many rows match honest: each repeat of a common
    word counted again, so a word in a tenth of the duties was taken for half of them and the
    table scanned where its GIN index answers three times faster. The query as typed, read as a
    web search ("or", "-word", "a phrase"), is an alternative to the whole, unless it is one of
    the alternatives already. A single letter is left out when there are words beside it, as a
    stop word would be: it is usually left over from markup or an initial ("<b>budget</b>",
    "vitamin d").
    """
    kept = [unit for unit in units if len(unit.text) > 1] or units
    alternatives = [
        (index, " <-> ".join(f"'{word}'" for word in phrase), unit.is_synonym(phrase))
        for index, unit in enumerate(kept)
        for phrase in unit.alternatives
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT config::text, number, to_tsquery(config, phrase)::text"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS alternative(phrase, number)"
            " CROSS JOIN unnest(%s::regconfig[]) AS config"
            " UNION ALL SELECT config::text, 0, websearch_to_tsquery(config, %s)::text"
            " FROM unnest(%s::regconfig[]) AS config",
            [[phrase for _unit, phrase, _synonym in alternatives], CONFIGURATIONS, query, CONFIGURATIONS],
        )
        parsed = {(config, number): text for config, number, text in cursor.fetchall()}

    def parts(config: str, *, synonyms: bool) -> list[set[str]]:
        """Each unit's alternatives as the configuration parsed them (stop words gone), without repeats."""
        found: list[set[str]] = [set() for _ in kept]
        for number, (unit, _phrase, synonym) in enumerate(alternatives, start=1):
            if parsed[config, number] and (synonyms or not synonym):
                found[unit].add(parsed[config, number])
        return [part for part in found if part]

    def joined(found: list[set[str]]) -> str:
        return " & ".join("(" + " | ".join(sorted(part)) + ")" for part in found)

    def with_typed(config: str, found: list[set[str]]) -> str:
        typed = parsed[config, 0]
        if not typed or (len(found) == 1 and typed in found[0]):
            return joined(found)
        return f"({typed}) | ({joined(found)})" if found else typed

    every = {config: parts(config, synonyms=True) for config in CONFIGURATIONS}
    own = {config: parts(config, synonyms=False) for config in CONFIGURATIONS}
    # Blank when the synonyms add nothing: every match then holds the words as typed.
    synonymous = own != every
    english, norwegian = CONFIGURATIONS
    return Expressions(
        english=with_typed(english, every[english]),
        norwegian=with_typed(norwegian, every[norwegian]),
        own_english=joined(own[english]) if synonymous else "",
        own_norwegian=joined(own[norwegian]) if synonymous else "",
    )


def find(
    target: Target,
    query: str,
    matched: Expressions,
    limit: int,
    *,
    offset: int = 0,
    ranked: int = RANKED_MATCHES,
    wanted: list[str] | None = None,
) -> tuple[list[tuple[Any, float]], int]:
    """Full-text (english + norwegian) matches of the search's ``expressions``, best first.

    Matching and ranking read the stored documents (``search_en``, ``search_nb``, generated
    columns added by migration ``0004_search_documents``) through their GIN indexes. A word
    found in most rows ("lege") would have every one of thousands of matches ranked; only the
    first ``ranked`` are (``ts_rank`` english + norwegian + word similarity of the names, so a
    match in a title counts for more, + the prior). One query ranks and counts; a second loads
    the page's rows (``Target.load``).
    """
    meta = target.model._meta
    table = connection.ops.quote_name(meta.db_table)
    pk = _column(target.model, meta.pk.name)
    # Only quoted identifiers from the model's metadata and fixed weights are formatted into the SQL
    # below; the expressions and the query are always parameters.
    # Normalisation 1 (rank / (1 + log of the length)): a short text saying it outranks a long one saying it
    # once in passing, as bm25 ranks on SQLite.
    rank_sql = '(ts_rank("row"."search_en", %s::tsquery, 1) + ts_rank("row"."search_nb", %s::tsquery, 1))'
    rank_params = [matched.english, matched.norwegian]
    if matched.own_english or matched.own_norwegian:
        # A row holding the words as typed (not only a thesaurus synonym) ranks above one that does not.
        rank_sql = (
            f'({rank_sql} + CASE WHEN "row"."search_en" @@ %s::tsquery'
            f' OR "row"."search_nb" @@ %s::tsquery THEN {OWN_WORDS} ELSE 0 END)'
        )
        rank_params += [matched.own_english, matched.own_norwegian]
    # What the row's words alone do not say: a cited source, a name equal to the query.
    prior_sql, prior_params = target.prior('"row"', wanted or [])
    # How alike the query and a name are (trigrams) ranks "Medical Director" above "Medical Director,
    # Cardiology"; long texts (a qualification, a fact) are no names, and comparing them costs most.
    names = [
        f'word_similarity(%s, "row".{_column(target.model, name)}::text)'
        for name in target.names
        if isinstance(target.model._meta.get_field(name), CharField)
    ]
    similar_sql = f"COALESCE(GREATEST({', '.join(names)}), 0.0)" if names else "0.0"
    # The matches are gathered apart (MATERIALIZED, through the GIN indexes) and read lazily: planned
    # under an ORDER BY or LIMIT, a scan in key order that expects many matches early is chosen, and
    # a word with few matches then reads the whole table. Counting stops past COUNTED_MATCHES.
    # Only the columns the rank reads are gathered: whole rows (a role's run to kilobytes) cost more to copy
    # than to rank.
    ranked_columns = ", ".join(
        dict.fromkeys(
            [
                pk,
                '"search_en"',
                '"search_nb"',
                *(_column(target.model, name) for name in (*target.names, *target.prior_fields)),
            ]
        )
    )
    sql = (
        f'WITH "matched" AS MATERIALIZED (SELECT {ranked_columns} FROM {table}'  # noqa: S608
        ' WHERE "search_en" @@ %s::tsquery OR "search_nb" @@ %s::tsquery)'
        # The count is a row of its own, joined to the page's: a page past the last still says how many match.
        ' SELECT "page"."pk", "page"."score", "counted"."total"'
        ' FROM (SELECT count(*) AS "total" FROM (SELECT FROM "matched" LIMIT %s) AS "some") AS "counted"'
        f' LEFT JOIN (SELECT "row".{pk} AS "pk", {rank_sql} + {similar_sql} + {prior_sql} AS "score"'
        ' FROM (SELECT * FROM "matched" LIMIT %s) AS "row"'
        ' ORDER BY "score" DESC, "pk" LIMIT %s OFFSET %s) AS "page" ON true'
        ' ORDER BY "page"."score" DESC, "page"."pk"'
    )
    params: list[Any] = [
        matched.english,
        matched.norwegian,
        COUNTED_MATCHES + 1,
        *rank_params,
        *[query] * len(names),
        *prior_params,
        max(ranked, offset + limit),
        limit,
        offset,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        scored = cursor.fetchall()
    page = [(pk_value, score) for pk_value, score, _total in scored if pk_value is not None]
    return target.load(page), scored[0][2]


def _column(model: type[Model], name: str) -> str:
    """The quoted column of one of the model's own fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column of its table")
    return connection.ops.quote_name(field.column)
