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
"""

import html
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache, reduce
from operator import or_

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from responsibilities.models import Duty
from roles.models import Qualification, Role, RoleTitle

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
LANGUAGES = ("en", "nb")
SNIPPET_LENGTH = 240
# A term no word of the knowledge base is, and at least this long, is also searched for as its
# nearest word when their word similarity is at least WORD_SIMILARITY ("medcal" → "medical": 0.71).
MIN_CORRECTED_LENGTH = 3
WORD_SIMILARITY = 0.5
# A term at least this long also finds the shortest PREFIX_WORDS words that begin with it (compounds).
MIN_PREFIX_LENGTH = 4
PREFIX_WORDS = 5
# Full-text matches ranked per kind of row. A word found in nearly every row ("lege") would
# otherwise have tens of thousands ranked to show the best fifty.
RANKED_MATCHES = 200

_WORD = re.compile(r"\w+")


class SearchQueryError(ValueError):
    """The query cannot be searched for; ``message`` says why in words a reader understands."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Match:
    """One matching row, with its text highlighted (escaped, matches wrapped in ``<mark>``)."""

    kind: str  # "name", "duty" or "qualification"
    text: str
    highlighted: SafeString
    language: str
    rank: float
    detail: str = ""
    detail_highlighted: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308 - empty
    label: str = ""  # category of a duty, or required/preferred + kind of a qualification
    obj: object = None


@dataclass
class RoleResult:
    role: Role
    title: str
    score: float = 0.0
    names: list[Match] = field(default_factory=list)
    duties: list[Match] = field(default_factory=list)
    qualifications: list[Match] = field(default_factory=list)

    @property
    def matches(self) -> list[Match]:
        return [*self.names, *self.duties, *self.qualifications]


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    language: str
    groups: list[RoleResult]
    truncated: bool
    backend: str  # "full-text" on PostgreSQL, "substring" elsewhere
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt term -> the word also searched for

    @property
    def corrected_query(self) -> str:
        """The query as also searched for, each misspelt term replaced by its nearest word ("" if none)."""
        return " ".join(self.corrections.get(term, term) for term in self.terms) if self.corrections else ""

    @property
    def count(self) -> int:
        return sum(len(group.matches) for group in self.groups)


def clean_query(raw: str | None) -> str:
    """The query with whitespace collapsed, or SearchQueryError when it is blank, too long or wordless."""
    query = " ".join((raw or "").split())
    if not query:
        raise SearchQueryError("blank", gettext("Type a word or two to search for, such as a title or a duty."))
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            "too_long",
            ngettext(
                "Your search is too long: use at most %(max)d character.",
                "Your search is too long: use at most %(max)d characters.",
                MAX_QUERY_LENGTH,
            )
            % {"max": MAX_QUERY_LENGTH},
        )
    if not search_terms(query):
        raise SearchQueryError("no_words", gettext("Search for words: letters or digits."))
    return query


def search_terms(query: str) -> list[str]:
    """The distinct words of the query, lower-cased, at most MAX_TERMS of them."""
    terms = []
    for word in _WORD.findall(query.casefold()):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_knowledge_base(raw_query: str | None, *, language: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Roles, names, duties and qualifications matching the query, grouped by role, best first.

    ``language`` is the reader's language: texts are shown in it when they match
    there, otherwise in the language they matched in. ``limit`` caps each kind of
    match; ``truncated`` says whether more were left out.
    """
    query = clean_query(raw_query)
    terms = search_terms(query)
    _word_matches.cache_clear()
    language = language if language in LANGUAGES else LANGUAGES[0]
    limit = max(1, min(limit, MAX_LIMIT))
    postgres = connection.vendor == "postgresql"

    truncated = False
    rows = {}
    if postgres:
        alternatives, corrections = _alternatives(terms)
        expanded = _expanded_query(terms, alternatives)
    else:
        corrections = {}
    # Highlighting marks the words searched for in place of misspelt terms as well.
    marked = [*terms, *(word for word in corrections.values() if word not in terms)]
    for target in TARGETS:
        if postgres:
            found = _find_postgres(target, query, expanded, limit + 1)
        else:
            found = _find_fallback(target, query, terms, limit + 1)
        truncated = truncated or len(found) > limit
        rows[target.kind] = found[:limit]

    groups: dict[int, RoleResult] = {}

    def group_for(role: Role) -> RoleResult:
        if role.pk not in groups:
            groups[role.pk] = RoleResult(role=role, title=_localized(role, "title", language)[0])
        return groups[role.pk]

    for role, rank in rows["role"]:
        group = group_for(role)
        for name_field in ("title", "abbreviation"):
            match = _best_text(role, name_field, language, marked)
            if match:
                text, lang = match
                group.names.append(_match("name", text, lang, marked, rank, obj=role))
        if not group.names:
            group.names.append(_match("name", group.title, language, marked, rank, obj=role))
    for title, rank in rows["title"]:
        group_for(title.role).names.append(_match("name", title.title, title.language, marked, rank, obj=title))
    for duty, rank in rows["duty"]:
        text, detail, lang = _duty_texts(duty, language, marked)
        group_for(duty.role).duties.append(
            _match(
                "duty",
                text,
                lang,
                marked,
                rank,
                detail=detail,
                label=_localized(duty.category, "name", language)[0],
                obj=duty,
            )
        )
    labels = {}  # (requirement, kind) -> label: translating choices is slow enough to matter here
    for qualification, rank in rows["qualification"]:
        text, lang = _best_text(qualification, "text", language, marked) or _localized(qualification, "text", language)
        key = (qualification.requirement, qualification.kind)
        if key not in labels:
            labels[key] = f"{qualification.get_requirement_display()} · {qualification.get_kind_display()}"
        label = labels[key]
        group_for(qualification.role).qualifications.append(
            _match("qualification", text, lang, marked, rank, label=label, obj=qualification)
        )

    for group in groups.values():
        group.names = _distinct_names(group.names)
        # A role found by one of its names is what the reader most likely looked for.
        best = max((match.rank for match in group.matches), default=0.0)
        exact = any(match.text.casefold() == query.casefold() for match in group.names)
        group.score = best + (1.0 if group.names else 0.0) + (1.0 if exact else 0.0) + 0.01 * len(group.matches)
        for matches in (group.duties, group.qualifications):
            matches.sort(key=lambda match: -match.rank)
    ordered = sorted(groups.values(), key=lambda g: (-g.score, g.role.position, g.role.slug))
    return SearchResults(
        query=query,
        terms=terms,
        language=language,
        groups=ordered,
        truncated=truncated,
        backend="full-text" if postgres else "substring",
        corrections=corrections,
    )


# --- What is searched --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    kind: str
    model: type
    english: tuple[str, ...]  # fields of the english full-text document
    norwegian: tuple[str, ...]  # fields of the norwegian full-text document
    names: tuple[str, ...]  # short fields whose similarity to the query adds to the rank
    related: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()  # every other field a result needs (the rest is not loaded)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.english, *self.norwegian, *self.names)))

    def rows(self):
        """The model's rows with their related rows, loading only the fields a result shows."""
        return self.model.objects.select_related(*self.related).only(*self.fields, *self.related, *self.shown)


# What a result shows of its role: the search page, the API and ordering by position.
_ROLE_SHOWN = ("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "level", "position")


def _of_role(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{name}" for name in _ROLE_SHOWN)


TARGETS = (
    _Target(
        "role",
        Role,
        ("title_en", "abbreviation_en"),
        ("title_nb", "abbreviation_nb"),
        ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb"),
        shown=_ROLE_SHOWN,
    ),
    _Target("title", RoleTitle, ("title",), ("title",), ("title",), ("role",), ("language", *_of_role("role__"))),
    _Target(
        "duty",
        Duty,
        ("title_en", "description_en"),
        ("title_nb", "description_nb"),
        ("title_en", "title_nb"),
        ("role", "category"),
        ("category__name_en", "category__name_nb", *_of_role("role__")),
    ),
    _Target(
        "qualification",
        Qualification,
        ("text_en",),
        ("text_nb",),
        ("text_en", "text_nb"),
        ("role",),
        ("requirement", "kind", *_of_role("role__")),
    ),
)


def _alternatives(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Words of the knowledge base to search for with each term: its longer forms, or its fix if misspelt. One query.

    The words are in ``search_word`` (migration ``0005_search_words``). A term of at least
    ``MIN_PREFIX_LENGTH`` letters also stands for the shortest few words that begin with it, so
    "kvalitet" finds "kvalitetsarbeid" and "cardio" "cardiology". A term that is no word there at all
    also stands for its nearest word, from the GiST trigram index (``<->>`` is one minus the word
    similarity), so "medcal" finds "medical" and "docter" "doctor". Returns the alternatives of each
    term and, apart, the misspelt terms' fixes.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, alternative.word, alternative.fix FROM unnest(%s::text[]) AS term"
            " CROSS JOIN LATERAL ("
            "  (SELECT DISTINCT word, false AS fix, char_length(word) FROM search_word"
            "   WHERE char_length(term) >= %s AND word ^@ term AND word <> term ORDER BY 3, word LIMIT %s)"
            "  UNION ALL"
            "  (SELECT word, true, 0 FROM (SELECT word, word <->> term AS distance FROM search_word"
            "    WHERE char_length(term) >= %s"
            "    AND NOT EXISTS (SELECT FROM search_word AS known WHERE known.word = term)"
            "    ORDER BY word <->> term LIMIT 1) AS nearest WHERE distance <= %s)"
            " ) AS alternative",
            [terms, MIN_PREFIX_LENGTH, PREFIX_WORDS, MIN_CORRECTED_LENGTH, 1.0 - WORD_SIMILARITY],
        )
        alternatives: dict[str, list[str]] = {}
        fixes: dict[str, str] = {}
        for term, word, fix in cursor.fetchall():
            if _WORD.fullmatch(word) and word not in alternatives.setdefault(term, []):
                alternatives[term].append(word)
                if fix:
                    fixes[term] = word
        return alternatives, fixes


def _expanded_query(terms: list[str], alternatives: dict[str, list[str]]) -> str:
    """``to_tsquery`` text: every term, each in any of its alternatives ('a' | 'b') & ('c' | 'd').

    A single letter is left out when there are words beside it, as a stop word would be: it is
    usually left over from markup or an initial ("<b>budget</b>", "vitamin d").
    """
    words = [term for term in terms if len(term) > 1] or terms
    return " & ".join(
        "(" + " | ".join(f"'{word}'" for word in [term, *alternatives.get(term, [])]) + ")" for term in words
    )


def _find_postgres(target: _Target, query: str, expanded: str, limit: int) -> list[tuple[object, float]]:
    """Full-text (english + norwegian) matches of the query as written or as expanded, best first. One query.

    Matching and ranking read the stored documents (``search_en``, ``search_nb``, generated
    columns added by migration ``0004_search_documents``) through their GIN indexes. A word
    found in most rows ("lege") would have every one of thousands of matches ranked; only the
    first ``RANKED_MATCHES`` are, and the best ``limit`` of those are joined, ranked in full
    (``ts_rank`` english + norwegian + word similarity of the names, so a match in a title
    counts for more) and returned.
    """
    table = connection.ops.quote_name(target.model._meta.db_table)
    pk = connection.ops.quote_name(target.model._meta.pk.column)

    def tsquery(config: str) -> tuple[str, list]:
        return (
            f"(websearch_to_tsquery('{config}'::regconfig, %s) || to_tsquery('{config}'::regconfig, %s))",
            [query, expanded],
        )

    (english, english_params), (norwegian, norwegian_params) = tsquery("english"), tsquery("norwegian")

    def text_rank(prefix: str) -> tuple[str, list]:
        return (
            f'(ts_rank({prefix}"search_en", {english}) + ts_rank({prefix}"search_nb", {norwegian}))',
            [*english_params, *norwegian_params],
        )

    # Only quoted identifiers from the model's metadata and fixed configuration names are formatted
    # into the SQL below; the query and its correction are always parameters.
    rank_sql, rank_params = text_rank("")
    # The matches are planned apart (MATERIALIZED) and read lazily. Planned under the LIMIT, a scan
    # that expects many matches early is chosen, and a word with few matches then reads the table.
    best = RawSQL(  # noqa: S611 - identifiers only, values are parameters
        f"WITH matched AS MATERIALIZED ("  # noqa: S608
        f'SELECT {pk}, "search_en", "search_nb" FROM {table}'
        f' WHERE "search_en" @@ {english} OR "search_nb" @@ {norwegian}'
        f") SELECT {pk} FROM (SELECT * FROM matched LIMIT %s) AS ranked ORDER BY {rank_sql} DESC, {pk} LIMIT %s",
        [*english_params, *norwegian_params, max(RANKED_MATCHES, limit), *rank_params, limit],
    )

    rank_sql, rank_params = text_rank(f"{table}.")
    names = [
        f"word_similarity(%s, {table}.{connection.ops.quote_name(target.model._meta.get_field(name).column)}::text)"
        for name in target.names
    ]
    similar_sql = f"COALESCE(GREATEST({', '.join(names)}), 0.0)"
    queryset = (
        target.rows()
        .filter(pk__in=best)
        .annotate(
            search_rank=RawSQL(  # noqa: S611 - identifiers only, values are parameters
                f"({rank_sql} + {similar_sql})", [*rank_params, *[query] * len(names)], FloatField()
            )
        )
        .order_by("-search_rank", "pk")[:limit]
    )
    return [(row, row.search_rank) for row in queryset]


def _find_fallback(target: _Target, query: str, terms: list[str], limit: int) -> list[tuple[object, float]]:
    """Rows where every term occurs in one of the fields (case-insensitive), ranked in Python. One query."""
    condition = Q()
    for term in terms:
        condition &= reduce(or_, [Q(**{f"{name}__icontains": term}) for name in target.fields])
    rows = list(target.rows().filter(condition).order_by("pk")[: limit * 4])

    def rank(row) -> float:
        # Terms found in a name count double: a title match says more than one in a description.
        score = 0.0
        for term in terms:
            if any(term in (getattr(row, name) or "").casefold() for name in target.names):
                score += 2.0
            elif any(term in (getattr(row, name) or "").casefold() for name in target.fields):
                score += 1.0
        return score / (2.0 * len(terms))

    ranked = sorted(((row, rank(row)) for row in rows), key=lambda pair: -pair[1])
    return ranked[:limit]


# --- Texts and highlighting --------------------------------------------------------------------


def _other(language: str) -> str:
    return next(code for code in LANGUAGES if code != language)


def _localized(obj, name: str, language: str) -> tuple[str, str]:
    """The field's text in ``language``, else in the other language; with the language it is in."""
    for lang in (language, _other(language)):
        value = getattr(obj, f"{name}_{lang}", None)
        if value:
            return value, lang
    return "", language


def _best_text(obj, name: str, language: str, terms: list[str]) -> tuple[str, str] | None:
    """The field's text in the first language (reader's first) where a term visibly matches."""
    for lang in (language, _other(language)):
        value = getattr(obj, f"{name}_{lang}", None)
        if value and _has_match(value, terms):
            return value, lang
    return None


def _duty_texts(duty: Duty, language: str, terms: list[str]) -> tuple[str, str, str]:
    for lang in (language, _other(language)):
        title = getattr(duty, f"title_{lang}") or ""
        description = getattr(duty, f"description_{lang}") or ""
        if title and (_has_match(title, terms) or _has_match(description, terms)):
            return title, description, lang
    title, lang = _localized(duty, "title", language)
    return title, getattr(duty, f"description_{lang}") or "", lang


def _match(kind, text, language, terms, rank, *, detail="", label="", obj=None) -> Match:
    return Match(
        kind=kind,
        text=text,
        highlighted=highlight(snippet(text, terms), terms),
        language=language,
        rank=float(rank or 0.0),
        detail=detail,
        detail_highlighted=highlight(snippet(detail, terms), terms),
        label=label,
        obj=obj,
    )


def _distinct_names(names: list[Match]) -> list[Match]:
    seen, distinct = set(), []
    for match in names:
        key = match.text.casefold()
        if key not in seen:
            seen.add(key)
            distinct.append(match)
    return distinct


def word_matches(word: str, terms: list[str]) -> bool:
    """Whether a word of a text is, or is a form or near-spelling of, one of the query's terms.

    Mirrors what the database matched: substrings (the fallback), shared stems
    ("lege" / "legen", full-text search) and near spellings ("chief" / "chif", trigrams).
    """
    return _word_matches(word.casefold(), tuple(terms))


@lru_cache(maxsize=4096)
def _word_matches(word: str, terms: tuple[str, ...]) -> bool:
    # Texts repeat their words and a page highlights hundreds of them: each (word, query) is
    # worked out once per search (search_knowledge_base clears the cache as it starts).
    for term in terms:
        if len(term) < 3:
            if word.startswith(term):
                return True
            continue
        if term in word:
            return True
        prefix = len(_common_prefix(word, term))
        if prefix >= 3 and prefix >= min(len(word), len(term)) - 2:
            return True
        if len(term) >= 4:
            # quick_ratio and real_quick_ratio are upper bounds of ratio: cheap ways to say no.
            matcher = SequenceMatcher(None, word, term)
            if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return a[:length]


def _has_match(text: str, terms: list[str]) -> bool:
    return any(word_matches(word, terms) for word in _WORD.findall(text))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A long text cut down to a window around its first match, with ellipses."""
    if len(text) <= length:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if word_matches(m.group(), terms)), 0)
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text escaped, with every matching word wrapped in ``<mark>``: safe to put in a page as is."""
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper (a page
    # of results escapes thousands of pieces).
    parts, last = [], 0
    for found in _WORD.finditer(text):
        if word_matches(found.group(), terms):
            parts.append(html.escape(text[last : found.start()]))
            parts.append(f"<mark>{html.escape(found.group())}</mark>")
            last = found.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text was escaped above
