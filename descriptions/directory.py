"""The directory's reading of a request: filters, sort, view and page, read in a fixed number of queries."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from math import ceil

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext as _, gettext_lazy, ngettext

from governance import queries as review_queries
from knowledge import version as kb_version
from responsibilities.models import Duty, DutyCategory
from roles.models import Role
from roles.queries import kept

from .queries import roles_for_directory

PAGE_SIZE = 60
# No directory has this many pages; a larger number would overflow the database's OFFSET.
MAX_PAGE = 1_000_000

SORTS = {
    "level": gettext_lazy("Level, then position"),
    "title": gettext_lazy("Title, A–Z"),
    "-title": gettext_lazy("Title, Z–A"),
    "duties": gettext_lazy("Most duties first"),
}
VIEWS = {"cards": gettext_lazy("Cards"), "table": gettext_lazy("Table")}


@dataclass
class DirectoryRequest:
    """What the reader asked for; values the directory does not know are ignored, not errors."""

    level: str = ""
    category: str = ""
    department: str = ""
    sort: str = "level"
    view: str = "cards"
    overdue: bool = False  # only roles past their periodic review date (governance)
    page: int = 1
    filters: dict = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: QueryDict) -> DirectoryRequest:
        level = query.get("level", "")
        sort = query.get("sort", "level")
        view = query.get("view", "cards")
        return cls(
            level=level if level in Role.Level.values else "",
            category=query.get("category", "")[:80],
            department=query.get("department", "")[:200],
            sort=sort if sort in SORTS else "level",
            view=view if view in VIEWS else "cards",
            overdue=query.get("review") == "overdue",
            page=_page_number(query.get("page")),
        )

    @property
    def key(self) -> str:
        """What decides which roles match and their order (the overdue filter also depends on the day)."""
        today = timezone.localdate().isoformat() if self.overdue else ""
        return repr((self.level, self.category, self.department, self.overdue, self.sort, today))

    @property
    def filtered(self) -> bool:
        return bool(self.level or self.category or self.department or self.overdue)

    @property
    def grouped(self) -> bool:
        """Cards fall under a heading per level only when they are ordered by level."""
        return self.sort == "level" and self.view == "cards"


def _page_number(value) -> int:
    """A page number, or 404: a page that cannot exist is not silently page 1."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except ValueError:
        raise Http404(_("There is no such page.")) from None
    if not 1 <= number <= MAX_PAGE:
        raise Http404(_("There is no such page."))
    return number


def _filtered_roles(wanted: DirectoryRequest) -> QuerySet[Role]:
    roles = roles_for_directory()
    if wanted.level:
        roles = roles.filter(level=wanted.level)
    if wanted.department:
        roles = roles.filter(department=wanted.department)
    if wanted.overdue:
        roles = roles.filter(review_queries.overdue_filter())
    if wanted.category:
        roles = roles.filter(Exists(Duty.objects.filter(role=OuterRef("pk"), category__slug=wanted.category)))
    if wanted.sort == "title":
        roles = roles.order_by("title", "slug")
    elif wanted.sort == "-title":
        roles = roles.order_by("-title", "-slug")
    elif wanted.sort == "duties":
        roles = roles.order_by(F("duty_count").desc(), "position", "slug")
    return roles


@dataclass
class DirectoryPage:
    roles: list
    number: int
    total: int
    paginator: Paginator

    @property
    def num_pages(self) -> int:
        return max(ceil(self.total / PAGE_SIZE), 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.roles else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.roles)

    def page_range(self):
        """Page numbers around this one and at both ends, with ``Paginator.ELLIPSIS`` in the gaps."""
        return self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1)


class _KnownCount(Paginator):
    """A paginator told the total by the page query itself, so it never counts again."""

    def __init__(self, total: int):
        super().__init__(range(total), PAGE_SIZE)


def directory_page(wanted: DirectoryRequest, version: str) -> DirectoryPage:
    """The asked-for page with the total of matching roles; a page past the last is a 404.

    The matching roles' ids in order are kept per process until the directory's ``version`` moves
    (``roles.queries.kept``): ordering 10,000 roles and counting them took ~10 ms of every page,
    and HR staff page through the same listing. So a page costs the version and its 60 roles with
    their duty counts (two queries), or, after a change, one more to order the ids again.
    """
    ids = kept(f"directory:{wanted.key}", version, lambda: list(_filtered_roles(wanted).values_list("pk", flat=True)))
    start = (wanted.page - 1) * PAGE_SIZE
    page_ids = ids[start : start + PAGE_SIZE]
    if not page_ids and wanted.page > 1:
        raise Http404(_("There is no such page."))
    # Read even for an empty page (no role has the key 0): a page costs the same, whatever it holds.
    by_pk = roles_for_directory().in_bulk(page_ids or [0])
    rows = [by_pk[pk] for pk in page_ids if pk in by_pk]
    return DirectoryPage(roles=rows, number=wanted.page, total=len(ids), paginator=_KnownCount(len(ids)))


def directory_version() -> str:
    """The version of what the directory shows (its rows and filters). One query."""
    return kb_version.scoped((kb_version.DIRECTORY,))


def filter_choices(version: str, wanted_department: str = "") -> dict:
    """The filters' options: every duty category and every department some role names.

    Kept per directory ``version`` and language; two queries after a change.
    """

    def read():
        departments = Role.objects.exclude(department="").order_by("department").values_list("department", flat=True)
        escaped = [(department, html.escape(department)) for department in departments.distinct()]
        return list(DutyCategory.objects.values_list("slug", "name")), escaped

    categories, departments = kept(f"directory-filters:{get_language()}", version, read)
    return {
        "level_choices": Role.Level.choices,
        "categories": categories,
        "department_options": department_options(departments, wanted_department),
        "sorts": list(SORTS.items()),
        "views": list(VIEWS.items()),
    }


def department_options(departments: list[tuple[str, str]], selected: str) -> SafeString:
    """The department filter's ``<option>`` elements from (department, its escaped text), the chosen one selected.

    A hospital group names hundreds of departments; as a template loop they were a quarter of the page's time.
    """
    options = [
        f'<option value="{value}"{" selected" if department == selected else ""}>{value}</option>'
        for department, value in departments
    ]
    return mark_safe("".join(options))  # noqa: S308 - every department was escaped when it was read


SUMMARY_LENGTH = 160  # characters of a role's summary on its card


def cards(roles: list[Role]) -> list[dict]:
    """What the directory shows of each role, each translated field read once.

    A card through the template read a role's fields several times through their translation
    descriptors and counted its duties with ``blocktranslate``: ~150 µs a card, 60 a page.
    """
    duty_labels: dict[int, str] = {}
    # get_level_display() hashes every level's lazy label, translating each, for every card.
    level_labels = {value: str(label) for value, label in Role.Level.choices}
    shown = []
    for role in roles:
        count = role.duty_count  # type: ignore[attr-defined]  # annotated by roles_for_directory
        if count not in duty_labels:
            duty_labels[count] = ngettext("%(counter)s duty", "%(counter)s duties", count) % {"counter": count}
        # What Truncator gives, without walking every character of a summary that fits (most do).
        summary = unicodedata.normalize("NFC", role.summary or "")
        shown.append(
            {
                "url": role.get_absolute_url(),
                "title": role.title,
                "abbreviation": role.abbreviation,
                "level": role.level,
                "level_label": level_labels.get(role.level, role.level),
                "department": role.department,
                "grade": role.grade,
                "summary": summary if len(summary) <= SUMMARY_LENGTH else Truncator(summary).chars(SUMMARY_LENGTH),
                "duty_count": count,
                "duties": duty_labels[count],
            }
        )
    return shown
