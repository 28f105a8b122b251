"""Search across the knowledge base, in English and Norwegian at once.

One box finds roles by any name people use (the role's own title and abbreviation,
and every ``RoleTitle`` synonym), and duties and qualifications by their text.
Results come back grouped by role, each match with its text highlighted.

On PostgreSQL matching is full-text search with the ``english`` and ``norwegian``
configurations (so word forms match: "legen" finds "lege", "budsjett" finds
"budsjettet"), ranked with ``ts_rank``. Before that, one query looks the terms up in
a list of the knowledge base's words (migration ``0005_search_words``, kept by
triggers): a term also finds the words that begin with it ("kvalitet" finds
"kvalitetsarbeid"), and a term that is no word of the knowledge base also finds its
nearest word by trigram similarity, so a typo still finds its word ("chif medcal"
finds Chief Medical Officer). The documents are stored in generated columns
(``search_en``, ``search_nb``, migration ``0004_search_documents``) with GIN indexes;
each kind of row is one query that ranks its first matches and joins only the best.
Elsewhere (SQLite) a plain fallback keeps rows where every word of the query
occurs, case-insensitively, in one of the row's English or Norwegian fields.

The cost is fixed: one query per kind of row (roles, titles, duties,
qualifications), plus the word lookup on PostgreSQL, whatever the query or the
number of results.

This module is the entry point; the pieces live beside it: ``terms`` (the query and its
words), ``targets`` (what is searched), ``fulltext`` (matching on PostgreSQL), ``substring``
(the fallback), ``results`` (grouping by role and scoring) and ``highlighting`` (snippets and
marked words).
"""

from django.db import connection

from knowledge.models import LANGUAGE_CODES

from . import fulltext, substring
from .fulltext import RANKED_MATCHES, find as _find_postgres
from .highlighting import forget_words, highlight
from .results import Match, RoleResult, SearchResults, group_by_role
from .targets import TARGETS
from .terms import MAX_QUERY_LENGTH, SearchQueryError, clean_query, search_terms

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "RANKED_MATCHES",
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


def search_knowledge_base(raw_query: str | None, *, language: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Roles, names, duties and qualifications matching the query, grouped by role, best first.

    ``language`` is the reader's language: texts are shown in it when they match
    there, otherwise in the language they matched in. ``limit`` caps each kind of
    match; ``truncated`` says whether more were left out.
    """
    query = clean_query(raw_query)
    terms = search_terms(query)
    forget_words()
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    limit = max(1, min(limit, MAX_LIMIT))
    postgres = connection.vendor == "postgresql"

    truncated = False
    rows = {}
    corrections: dict[str, str] = {}
    if postgres:
        alternatives, corrections = fulltext.alternatives(terms)
        expanded = fulltext.expanded_query(terms, alternatives)
    # Highlighting marks the words searched for in place of misspelt terms as well.
    marked = [*terms, *(word for word in corrections.values() if word not in terms)]
    for target in TARGETS:
        if postgres:
            # How many matches are ranked is this module's setting, passed on (and tunable) from here.
            found = _find_postgres(target, query, expanded, limit + 1, ranked=RANKED_MATCHES)
        else:
            found = substring.find(target, terms, limit + 1)
        truncated = truncated or len(found) > limit
        rows[target.kind] = found[:limit]

    return SearchResults(
        query=query,
        terms=terms,
        language=language,
        groups=group_by_role(rows, query, marked, language),
        truncated=truncated,
        backend="full-text" if postgres else "substring",
        corrections=corrections,
    )
