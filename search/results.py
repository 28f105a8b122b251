"""What a search returns: the matching rows grouped by role, each with its text highlighted, best first."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from knowledge.languages import column, localized_with_language, reading_order
from responsibilities.models import Duty
from roles.models import Role

from .highlighting import has_match, highlight, matched_terms, snippet, word_matches
from .terms import WORD


@dataclass
class Match:
    """One matching row, with its text highlighted (escaped, matches wrapped in ``<mark>``)."""

    kind: str  # "name", "duty", "qualification", "fact" or "line"
    text: str
    highlighted: SafeString
    language: str
    rank: float
    detail: str = ""
    detail_highlighted: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308 - empty
    label: str = ""  # category of a duty, required/preferred + kind of a qualification, kind of a fact or line
    obj: Any = None
    url: str = ""  # the row on its role's page
    excerpt_highlighted: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308 - empty
    source: str = ""  # the source whose excerpt matched


@dataclass
class RoleResult:
    role: Role
    title: str
    score: float = 0.0
    names: list[Match] = field(default_factory=list)
    duties: list[Match] = field(default_factory=list)
    qualifications: list[Match] = field(default_factory=list)
    facts: list[Match] = field(default_factory=list)
    lines: list[Match] = field(default_factory=list)
    named: bool = True  # False when the role was found by its excerpt, not by a name

    @property
    def matches(self) -> list[Match]:
        return [*self.names, *self.facts, *self.duties, *self.qualifications, *self.lines]

    @property
    def sections(self) -> list[tuple[str, list[Match]]]:
        """The matches other than names, by kind, in the order the role page shows them."""
        return [
            ("fact", self.facts),
            ("duty", self.duties),
            ("qualification", self.qualifications),
            ("line", self.lines),
        ]


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    language: str
    groups: list[RoleResult]
    categories: list[tuple[Any, float]]  # matching duty categories, (category, rank)
    totals: dict[str, int]  # kind -> how many rows of it match (at most COUNTED_MATCHES + 1)
    limit: int
    kind: str | None  # the one kind searched, page by page, or None for all
    page: int
    backend: str  # "full-text" on every database
    database: str  # "postgresql" or "sqlite"
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt term -> the word also searched for
    synonyms: list[str] = field(default_factory=list)  # thesaurus terms also searched for

    returned: dict[str, int] = field(default_factory=dict)  # kind -> rows of it on this page
    marked: list[str] = field(default_factory=list)  # the words highlighted

    @property
    def truncated(self) -> bool:
        """Whether any kind has more matches than are shown."""
        return any(self.more(kind) for kind in self.totals)

    def more(self, kind: str) -> bool:
        """Whether the kind has matches past this page."""
        offset = (self.page - 1) * self.limit if self.kind else 0
        return self.totals.get(kind, 0) > offset + self.returned.get(kind, 0)

    @property
    def past_the_last_page(self) -> bool:
        """Whether this is a page of one kind after the last that holds any of its matches."""
        return self.kind is not None and self.page > 1 and not self.returned.get(self.kind)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def corrected_query(self) -> str:
        """The query as also searched for, each misspelt term replaced by its nearest word ("" if none)."""
        return " ".join(self.corrections.get(term, term) for term in self.terms) if self.corrections else ""

    @property
    def count(self) -> int:
        return sum(len(group.matches) for group in self.groups)


Rows = Mapping[str, Sequence[tuple[Any, float]]]


def group_by_role(
    rows: Rows, query: str, marked: list[str], language: str, *, also: str = "", question: bool = False
) -> list[RoleResult]:
    """The matching rows of each kind (``rows[kind]``: (row, rank) pairs) as one group per role, best first.

    A match is shown in the reader's ``language`` when it matches there, else in the language it
    matched in; ``marked`` are the words highlighted. A row found by the source excerpt it cites
    shows that excerpt too. A name equal to the query, or to ``also`` (the query with its typos
    fixed), counts most; a ``question`` ("who manages …") asks for what roles do, so a name match
    earns no extra.
    """
    groups: dict[int, RoleResult] = {}

    def group_for(role: Role) -> RoleResult:
        if role.pk not in groups:
            groups[role.pk] = RoleResult(role=role, title=localized_with_language(role, "title", language)[0])
        return groups[role.pk]

    for role, rank in rows["role"]:
        group = group_for(role)
        for name_field in ("title", "abbreviation"):
            match = _best_text(role, name_field, language, marked)
            if match:
                text, lang = match
                group.names.append(_match("name", text, lang, marked, rank, obj=role))
        if not group.names:
            # Found by the excerpt its title cites (or by a word form the highlighter does not see).
            group.names.append(_match("name", group.title, language, marked, rank, obj=role))
            group.named = False
    for title, rank in rows["title"]:
        group = group_for(title.role)
        group.names.append(_match("name", title.title, title.language, marked, rank, obj=title))
        group.named = group.named or has_match(title.title, marked)
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
                label=localized_with_language(duty.category, "name", language)[0],
                obj=duty,
            )
        )
    labels = {}  # (requirement, kind) -> label: translating choices is slow enough to matter here
    for qualification, rank in rows["qualification"]:
        text, lang = _best_text(qualification, "text", language, marked) or localized_with_language(
            qualification, "text", language
        )
        key = (qualification.requirement, qualification.kind)
        if key not in labels:
            labels[key] = f"{qualification.get_requirement_display()} · {qualification.get_kind_display()}"
        label = labels[key]
        group_for(qualification.role).qualifications.append(
            _match("qualification", text, lang, marked, rank, label=label, obj=qualification)
        )
    for fact, rank in rows["fact"]:
        text, lang = _best_text(fact, "text", language, marked) or localized_with_language(fact, "text", language)
        group_for(fact.role).facts.append(
            _match("fact", text, lang, marked, rank, label=fact.get_kind_display(), obj=fact)
        )
    for line, rank in rows["line"]:
        text, lang = _best_text(line, "note", language, marked) or localized_with_language(line, "note", language)
        superior = localized_with_language(line.superior, "title", language)[0]
        group_for(line.subordinate).lines.append(
            _match("line", text, lang, marked, rank, label=f"{line.label_from_subordinate} {superior}", obj=line)
        )

    for group in groups.values():
        group.names = _distinct_names(group.names)
        # A role found by one of its names is what the reader most likely looked for.
        # A question asks what a role does: its duties and facts speak for it rather than its name.
        counted = [m for m in group.matches if m.kind != "name"] if question else group.matches
        best = (
            max((match.rank for match in counted), default=0.0)
            if counted
            else 0.5 * max((match.rank for match in group.matches), default=0.0)
        )
        wanted = {query.casefold(), also.casefold()} - {""}
        exact = any(match.text.casefold() in wanted for match in group.names)
        named = 1.0 if group.names and group.named and not question else 0.0
        # How much of its best-matching name the query covers: "chief medical" is more of "Chief Medical
        # Officer" than of "Associate Chief Medical Officer".
        cover = max((_covered(match.text, marked) for match in group.names), default=0.0)
        group.score = best + named * (1.0 + 0.5 * cover) + (1.0 if exact else 0.0) + 0.01 * len(group.matches)
        for matches in (group.facts, group.duties, group.qualifications, group.lines):
            matches.sort(key=lambda match: -match.rank)
    return sorted(groups.values(), key=lambda g: (-g.score, g.role.position, g.role.slug))


def _best_text(obj: object, name: str, language: str, terms: list[str]) -> tuple[str, str] | None:
    """The field's text in the first language (reader's first) where a term visibly matches."""
    for lang in reading_order(language):
        value = getattr(obj, column(name, lang), None)
        if value and has_match(value, terms):
            return value, lang
    return None


def _duty_texts(duty: Duty, language: str, terms: list[str]) -> tuple[str, str, str]:
    for lang in reading_order(language):
        title = getattr(duty, column("title", lang)) or ""
        description = getattr(duty, column("description", lang)) or ""
        if title and (has_match(title, terms) or has_match(description, terms)):
            return title, description, lang
    title, lang = localized_with_language(duty, "title", language)
    return title, getattr(duty, column("description", lang)) or "", lang


def _match(
    kind: str,
    text: str,
    language: str,
    terms: list[str],
    rank: float | None,
    *,
    detail: str = "",
    label: str = "",
    obj: Any = None,
) -> Match:
    excerpt = getattr(obj, "excerpt", "") or ""
    # The excerpt is shown when it says more of what was searched for than the row's own text does.
    by_excerpt = bool(excerpt) and len(matched_terms(excerpt, terms)) > len(matched_terms(f"{text} {detail}", terms))
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
        url=_row_url(kind, obj),
        excerpt_highlighted=highlight(snippet(excerpt, terms), terms) if by_excerpt else mark_safe(""),  # noqa: S308
        source=obj.source.title if by_excerpt and getattr(obj, "source_id", None) else "",
    )


def _covered(name: str, marked: list[str]) -> float:
    """The share of a name's words that the search's words match."""
    words = WORD.findall(name)
    return sum(1 for word in words if word_matches(word, marked)) / len(words) if words else 0.0


def category_url(category: Any) -> str:
    """The responsibility matrix cut to the category's activities."""
    return f"{reverse('responsibilities:matrix')}?{urlencode({'category': category.slug})}"


ANCHORS = {"duty": "duty", "qualification": "qualification", "fact": "fact", "line": "line"}


def _row_url(kind: str, obj: Any) -> str:
    """The row's place on its role's page: an anchor the page highlights (``:target``)."""
    if kind == "name":
        # The role page's header holds its names (the preferred ones as its heading, not as a row).
        return (obj if isinstance(obj, Role) else obj.role).get_absolute_url()
    role = obj.subordinate if kind == "line" else obj.role
    return f"{role.get_absolute_url()}#{ANCHORS[kind]}-{obj.pk}"


def _distinct_names(names: list[Match]) -> list[Match]:
    seen, distinct = set(), []
    for match in names:
        key = match.text.casefold()
        if key not in seen:
            seen.add(key)
            distinct.append(match)
    return distinct
