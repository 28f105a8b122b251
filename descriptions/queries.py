"""Reads of several roles at once, each at a fixed number of queries."""

from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

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


def roles_for_comparison(slugs: list[str]) -> dict[str, Role]:
    """The named roles with duties, qualifications and key facts prefetched, by slug. Four queries."""
    queryset = Role.objects.filter(slug__in=slugs).prefetch_related(
        Prefetch("duties", queryset=Duty.objects.select_related("category", "source")),
        Prefetch("facts", queryset=RoleFact.objects.select_related("source")),
        Prefetch("qualifications", queryset=Qualification.objects.select_related("source")),
    )
    return {role.slug: role for role in queryset}


# Up to this many roles the compare picker lists them all; beyond it, it lists the roles a search finds.
PICKER_LIST_ALL = 30
PICKER_MATCHES = 20


def role_titles(slugs: list[str]) -> dict[str, str]:
    """Slug → title of the named roles that exist. One query, however many roles there are."""
    return dict(Role.objects.filter(slug__in=slugs).values_list("slug", "title"))


def picker_options(find: str) -> tuple[list[tuple[str, str]], bool]:
    """Roles the compare picker offers, and whether there are more than it shows. One query.

    With nothing to find, every role while there are few, else none (the reader types to find one);
    with a search, the first roles whose title (in either language), abbreviation or slug contain it.
    """
    roles = Role.objects.order_by("position", "slug")
    find = find.strip()
    if find:
        words = Q()
        for field in ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "slug"):
            words |= Q(**{f"{field}__icontains": find})
        limit = PICKER_MATCHES
        roles = roles.filter(words)
    else:
        limit = PICKER_LIST_ALL
    rows = list(roles.values_list("slug", "title")[: limit + 1])
    if not find and len(rows) > limit:
        return [], True
    return rows[:limit], len(rows) > limit
