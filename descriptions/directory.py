"""The directory's reading of a request: filters, sort, view and page, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _, gettext_lazy

from governance import queries as review_queries
from responsibilities.models import Duty, DutyCategory
from roles.models import Role

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


def directory_page(wanted: DirectoryRequest) -> DirectoryPage:
    """The asked-for page with the total of matching roles, in two queries (three past the last page).

    The first orders the filtered roles and cuts the page, with the total from a window count over
    the same rows; the second reads the page's roles with their duty counts. In one query the
    database counted the duties of every role before the window (at 10,000 roles, ~50 ms against a
    few). Sorting by duty count needs every role's count anyway: that sort stays one query. A page
    past the last is a 404.
    """
    start = (wanted.page - 1) * PAGE_SIZE
    roles = _filtered_roles(wanted)
    rows: list[Role]
    if wanted.sort == "duties":
        rows = list(roles.annotate(total=Window(Count("pk")))[start : start + PAGE_SIZE])
        totals = [row.total for row in rows]  # type: ignore[attr-defined]  # annotated above
    else:
        page = list(roles.values_list("pk", Window(Count("pk")))[start : start + PAGE_SIZE])
        # Read even for an empty page (no role has the key 0): a page costs the same, whatever it holds.
        by_pk = roles_for_directory().in_bulk([pk for pk, _total in page] or [0])
        rows, totals = [by_pk[pk] for pk, _total in page if pk in by_pk], [total for _pk, total in page]
    if rows:
        total = totals[0]
    else:
        total = 0 if wanted.page == 1 else _filtered_roles(wanted).count()
        if wanted.page > 1:
            raise Http404(_("There is no such page."))
    return DirectoryPage(roles=rows, number=wanted.page, total=total, paginator=_KnownCount(total))


def filter_choices() -> dict:
    """The filters' options: every duty category and every department some role names. Two queries."""
    departments = (
        Role.objects.exclude(department="").order_by("department").values_list("department", flat=True).distinct()
    )
    return {
        "level_choices": Role.Level.choices,
        "categories": list(DutyCategory.objects.values_list("slug", "name")),
        "departments": list(departments),
        "sorts": list(SORTS.items()),
        "views": list(VIEWS.items()),
    }
