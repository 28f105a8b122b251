"""What the search page says about each kind of match: its name, how many there are, and the way to the rest."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .query import COUNTED_MATCHES
from .results import SearchResults
from .search import MAX_PAGE

LABELS = {
    "role": _("Roles"),
    "title": _("Titles and synonyms"),
    "fact": _("Key facts"),
    "duty": _("Duties"),
    "qualification": _("Qualifications"),
    "line": _("Reporting lines"),
    "category": _("Duty areas"),
}


@dataclass
class Section:
    kind: str
    label: str
    total: int
    shown: int
    more_than: bool  # the count stopped at COUNTED_MATCHES
    all_url: str  # every match of the kind, page by page ("" when all are shown)
    previous_url: str = ""
    next_url: str = ""


def sections(results: SearchResults) -> list[Section]:
    """One line per kind that matched: its count and, when more match than are shown, the link to all."""
    base = reverse("search:search")

    def url(**params) -> str:
        return f"{base}?{urlencode({'q': results.query, **params})}"

    found = []
    for kind, label in LABELS.items():
        if kind not in results.totals or (not results.totals[kind] and results.kind != kind):
            continue
        total = results.totals[kind]
        section = Section(
            kind=kind,
            label=str(label),
            total=min(total, COUNTED_MATCHES),
            shown=results.returned.get(kind, 0),
            more_than=total > COUNTED_MATCHES,
            all_url=url(kind=kind) if results.more(kind) and not results.kind else "",
        )
        if results.kind == kind:
            if results.page > 1:
                section.previous_url = url(kind=kind, page=results.page - 1)
            if results.more(kind) and results.page < MAX_PAGE:
                section.next_url = url(kind=kind, page=results.page + 1)
        found.append(section)
    return found
