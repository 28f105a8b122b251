"""Search across the knowledge base, in English and Norwegian at once, the same on every database.

One box finds roles by any name people use (the role's own title and abbreviation, and every
``RoleTitle`` synonym), duties, qualifications, key facts and reporting-line notes by their text in
both languages, duty categories by name, and every one of those by the source excerpt it cites, so
a document's own words find the fact taken from it. Results come back grouped by role, each match
with its text highlighted and a link to its row on the role page.

The query becomes units (``search.query``): each word, or a phrase of the thesaurus, with its
English and Norwegian stems, its synonyms from the thesaurus (``ThesaurusEntry``, kept by editors),
and the nearest word of the knowledge base when it is misspelt. Stop words ("who", "the", "hvem")
are dropped. A row matches when it matches every unit.

On PostgreSQL matching is full-text search with the ``english`` and ``norwegian`` configurations
over stored documents (``fulltext``); on SQLite it is FTS5 ranked by bm25 (``sqlite_fulltext``,
``sqlite_schema``). Both keep a list of the knowledge base's words, kept by triggers, for typos.

The cost is fixed, whatever the query or the number of results: one query for the thesaurus, one
for the word list, on PostgreSQL one parsing the expressions, and per kind of row (seven) one that
ranks and counts its matches and one that loads those on the page; a search of one kind (``kind``)
queries that kind only.

This module is the entry point; the pieces live beside it: ``terms`` (the query and its words),
``query`` (units, stems, thesaurus), ``targets`` (what is searched), ``fulltext`` and
``sqlite_fulltext`` (matching), ``results`` (grouping by role and scoring) and ``highlighting``
(snippets and marked words).
"""

from django.db import connection

from knowledge.models import LANGUAGE_CODES

from . import fulltext, query as plan, sqlite_fulltext
from .highlighting import forget_words, highlight
from .results import Match, RoleResult, SearchResults, group_by_role
from .targets import KINDS, TARGETS
from .terms import MAX_QUERY_LENGTH, SearchQueryError, clean_query, search_terms

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "TARGETS",
    "Match",
    "RoleResult",
    "SearchQueryError",
    "SearchResults",
    "clean_query",
    "highlight",
    "search_knowledge_base",
    "search_terms",
]

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_PAGE = 40


def search_knowledge_base(
    raw_query: str | None, *, language: str, limit: int = DEFAULT_LIMIT, kind: str | None = None, page: int = 1
) -> SearchResults:
    """Roles, names, duties, qualifications, facts, reporting lines and categories matching the query.

    ``language`` is the reader's language: texts are shown in it when they match there, otherwise
    in the language they matched in. ``limit`` caps each kind of match. With ``kind`` only that kind
    is searched, ``page`` by ``page`` (``limit`` a page). ``totals`` says how many of each kind match.
    """
    query = clean_query(raw_query)
    terms = search_terms(query)
    forget_words()
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, min(page, MAX_PAGE))
    offset = (page - 1) * limit if kind else 0
    postgres = connection.vendor == "postgresql"
    backend = fulltext if postgres else sqlite_fulltext

    content = plan.content_terms(terms)
    units = plan.units(content, plan.thesaurus())
    single = [unit.text for unit in units if " " not in unit.text]
    alternatives, corrections = backend.alternatives(single)
    # A word of the thesaurus is no typo, even where the knowledge base lacks it ("remuneration").
    for unit in units:
        if unit.synonyms and unit.text in corrections:
            alternatives[unit.text].remove(corrections.pop(unit.text))
    plan.add_alternatives(units, alternatives)
    if postgres:
        expressions = fulltext.expressions(query, units)
    else:
        expression = sqlite_fulltext.match_expression(units)
        own_words = [[word for phrase in unit.searched(synonyms=False) for word in phrase] for unit in units]

    fixed = " ".join(corrections.get(term, term) for term in terms) if corrections else ""
    wanted = list(dict.fromkeys(name.casefold() for name in (query, fixed) if name))
    # Highlighting marks every word searched for: the terms, their corrections and their synonyms.
    marked = list(dict.fromkeys([*terms, *(word for unit in units for word in unit.words)]))
    rows: dict[str, list] = {}
    totals: dict[str, int] = {}
    for target in TARGETS:
        if kind and target.kind != kind:
            rows[target.kind] = []
            continue
        if postgres:
            found, total = fulltext.find(target, query, expressions, limit, offset=offset, wanted=wanted)
        else:
            found, total = sqlite_fulltext.find(
                target,
                expression,
                limit,
                offset,
                own=own_words if any(u.synonyms for u in units) else None,
                wanted=wanted,
            )
        rows[target.kind] = found
        totals[target.kind] = total

    return SearchResults(
        query=query,
        terms=terms,
        language=language,
        groups=group_by_role(
            rows,
            query,
            marked,
            language,
            also=fixed,
            question=plan.is_question(terms),
        ),
        categories=rows["category"],
        totals=totals,
        limit=limit,
        kind=kind,
        page=page,
        backend="full-text",
        database=connection.vendor,
        corrections=corrections,
        synonyms=[synonym for unit in units for synonym in unit.synonyms],
        returned={kind: len(found) for kind, found in rows.items()},
        marked=marked,
    )
