"""Search across the knowledge base, in English and Norwegian at once.

One box finds roles by any name people use (the role's own title and abbreviation,
and every ``RoleTitle`` synonym), and duties and qualifications by their text.
Results come back grouped by role, each match with its text highlighted.

On PostgreSQL matching is full-text search with the ``english`` and ``norwegian``
configurations (so word forms match: "legen" finds "lege", "budsjett" finds
"budsjettet"), ranked with ``SearchRank``, plus ``pg_trgm`` word similarity so a
typo still finds its word ("chif medcal" finds Chief Medical Officer). Migration
``0003_search_indexes`` creates the GIN trigram indexes; ``0004_search_documents``
stores each row's english and norwegian documents in generated columns (``search_en``,
``search_nb``) with GIN indexes, and adds GiST trigram indexes that return the nearest
spellings first. Each kind of row is one query: the best full-text matches by rank and
the best near spellings of each name are picked from their indexes as narrow rows, and
only those candidates are joined and ranked in full.
Elsewhere (SQLite) a plain fallback keeps rows where every word of the query
occurs, case-insensitively, in one of the row's English or Norwegian fields.

The cost is fixed: one query per kind of row (roles, titles, duties,
qualifications), whatever the query or the number of results.
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache, reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from roles.models import Qualification, Role, RoleTitle

from .models import Duty

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
LANGUAGES = ("en", "nb")
SNIPPET_LENGTH = 240
WORD_SIMILARITY = 0.5

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
    find = _find_postgres if postgres else _find_fallback

    truncated = False
    rows = {}
    with transaction.atomic() if postgres else nullcontext():
        if postgres:
            # pg_trgm's default word-similarity threshold (0.6) misses a typo in a short word
            # ("medcal" scores 0.5 against "Medical"); lower it for this transaction only, keeping
            # the %> operator and so its index. Lower still lets "doctor" find "Director".
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(WORD_SIMILARITY)]
                )
        for target in TARGETS:
            found = find(target, query, terms, limit + 1)
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
            match = _best_text(role, name_field, language, terms)
            if match:
                text, lang = match
                group.names.append(_match("name", text, lang, terms, rank, obj=role))
        if not group.names:
            group.names.append(_match("name", group.title, language, terms, rank, obj=role))
    for title, rank in rows["title"]:
        group_for(title.role).names.append(_match("name", title.title, title.language, terms, rank, obj=title))
    for duty, rank in rows["duty"]:
        text, detail, lang = _duty_texts(duty, language, terms)
        group_for(duty.role).duties.append(
            _match(
                "duty",
                text,
                lang,
                terms,
                rank,
                detail=detail,
                label=_localized(duty.category, "name", language)[0],
                obj=duty,
            )
        )
    for qualification, rank in rows["qualification"]:
        text, lang = _best_text(qualification, "text", language, terms) or _localized(qualification, "text", language)
        label = f"{qualification.get_requirement_display()} · {qualification.get_kind_display()}"
        group_for(qualification.role).qualifications.append(
            _match("qualification", text, lang, terms, rank, label=label, obj=qualification)
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
    )


# --- What is searched --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    kind: str
    model: type
    english: tuple[str, ...]  # fields of the english full-text document
    norwegian: tuple[str, ...]  # fields of the norwegian full-text document
    names: tuple[str, ...]  # short fields also matched by trigram similarity (typos)
    related: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.english, *self.norwegian, *self.names)))


TARGETS = (
    _Target(
        "role",
        Role,
        ("title_en", "abbreviation_en"),
        ("title_nb", "abbreviation_nb"),
        ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb"),
    ),
    _Target("title", RoleTitle, ("title",), ("title",), ("title",), ("role",)),
    _Target(
        "duty",
        Duty,
        ("title_en", "description_en"),
        ("title_nb", "description_nb"),
        ("title_en", "title_nb"),
        ("role", "category"),
    ),
    _Target("qualification", Qualification, ("text_en",), ("text_nb",), ("text_en", "text_nb"), ("role",)),
)


def _find_postgres(target: _Target, query: str, terms: list[str], limit: int) -> list[tuple[object, float]]:
    """Full-text (english + norwegian) or trigram matches, best ranked first. One query.

    Matching and ranking read the stored documents (``search_en``, ``search_nb``, generated
    columns added by migration ``0004_search_documents``) rather than rebuilding them with
    ``to_tsvector`` per row. The candidates are the best ``limit`` full-text matches by
    ``ts_rank`` and the best ``limit`` near spellings by word similarity, each found through its
    own GIN indexes on narrow rows; only those few rows are joined, ranked in full
    (``ts_rank`` english + norwegian + word similarity of the names) and returned.
    """
    table = connection.ops.quote_name(target.model._meta.db_table)
    pk = connection.ops.quote_name(target.model._meta.pk.column)

    def column(name: str, qualified: bool = False) -> str:
        quoted = connection.ops.quote_name(target.model._meta.get_field(name).column)
        return f"{table}.{quoted}" if qualified else quoted

    def text_rank(qualified: bool) -> tuple[str, list]:
        prefix = f"{table}." if qualified else ""
        return (
            f"(ts_rank({prefix}\"search_en\", websearch_to_tsquery('english'::regconfig, %s))"
            f" + ts_rank({prefix}\"search_nb\", websearch_to_tsquery('norwegian'::regconfig, %s)))",
            [query, query],
        )

    def similarity(qualified: bool) -> tuple[str, list]:
        names = [f"word_similarity(%s, {column(name, qualified)}::text)" for name in target.names]
        return f"COALESCE(GREATEST({', '.join(names)}), 0.0)", [query] * len(names)

    # Full-text candidates: either language's document matches; best ts_rank first.
    rank_sql, rank_params = text_rank(False)
    # Only quoted identifiers from the model's metadata are formatted into the SQL below; the
    # query and its terms are always parameters.
    full_text = (
        f"SELECT {pk} FROM {table}"  # noqa: S608 - identifiers only, values are parameters
        " WHERE \"search_en\" @@ websearch_to_tsquery('english'::regconfig, %s)"
        " OR \"search_nb\" @@ websearch_to_tsquery('norwegian'::regconfig, %s)"
        f" ORDER BY {rank_sql} DESC, {pk} LIMIT %s"
    )
    full_text_params = [query, query, *rank_params, limit]
    # Near spellings: each term must be word-similar (%> and its trigram index) to one of the names.
    near = " AND ".join("(" + " OR ".join(f"{column(name)}::text %%> %s" for name in target.names) + ")" for _ in terms)
    near_params = [term for term in terms for _ in target.names]

    # The best near spellings by each name, nearest first from that name's GiST trigram index on
    # lower(name) (``<->>`` is one minus the word similarity, which ignores case); together they
    # hold the best by the greatest similarity of any name.
    # Each name's subquery keeps the rows where that name itself is near a term (so an empty or
    # distant name is never walked through in distance order). With one term that is the whole
    # condition; repeating it would only mislead the planner's estimate.
    def nearest(name: str) -> tuple[str, list]:
        own = " OR ".join(f"{column(name)}::text %%> %s" for _ in terms)
        where, params = (own, list(terms)) if len(terms) == 1 else (f"{near} AND ({own})", [*near_params, *terms])
        sql = f"(SELECT {pk} FROM {table} WHERE {where} ORDER BY lower({column(name)}) <->> %s LIMIT %s)"  # noqa: S608
        return sql, [*params, query, limit]

    nearest_by_name = [nearest(name) for name in target.names]
    near_spelling = " UNION ".join(sql for sql, _ in nearest_by_name)
    near_spelling_params = [param for _, params in nearest_by_name for param in params]
    candidates = RawSQL(  # noqa: S611 - identifiers only, values are parameters
        f"({full_text}) UNION {near_spelling}",
        [*full_text_params, *near_spelling_params],
    )

    rank_sql, rank_params = text_rank(True)
    similar_sql, similar_params = similarity(True)
    queryset = (
        target.model.objects.select_related(*target.related)
        .filter(pk__in=candidates)
        .annotate(
            search_rank=RawSQL(  # noqa: S611 - identifiers only, values are parameters
                f"({rank_sql} + {similar_sql})", [*rank_params, *similar_params], FloatField()
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
    rows = list(target.model.objects.select_related(*target.related).filter(condition).order_by("pk")[: limit * 4])

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
    parts, last = [], 0
    for found in _WORD.finditer(text):
        if word_matches(found.group(), terms):
            parts.append(escape(text[last : found.start()]))
            parts.append(f"<mark>{escape(found.group())}</mark>")
            last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text was escaped above
