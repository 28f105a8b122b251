"""Reads that cross relations, shaped so each page costs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Case, Count, Max, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


def roles_for_directory() -> QuerySet[Role]:
    # By level first (the directory shows one section per level), then each role's own position.
    level_rank = Case(*(When(level=level, then=Value(rank)) for rank, level in enumerate(Role.Level.values)))
    # A count per row, not a join grouped over every role: the database orders the roles, takes the
    # page and counts the duties of those few (at 2,000 roles, 40 ms became a few).
    duties = _duties().model.objects.filter(role=OuterRef("pk")).order_by().values("role")
    duty_count = Coalesce(Subquery(duties.annotate(count=Count("pk")).values("count")), 0)
    return Role.objects.annotate(duty_count=duty_count).order_by(level_rank, "position", "slug")


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


def directory_page(number, size: int) -> DirectoryPage:
    """Page ``number`` (1-based; anything unreadable means 1) of the directory, in one query."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(roles_for_directory()[start : start + size + 1])
    return DirectoryPage(roles=rows[:size], number=number, has_next=len(rows) > size)


def _duties():
    # Duties live in the responsibilities app, which depends on this one; reach them through the
    # relation rather than an import so the dependency keeps pointing one way.
    return Role._meta.get_field("duties").related_model.objects.select_related("category", "source")


def role_with_everything(slug: str) -> Role:
    """One role with its titles, facts, qualifications, duties and lines, or 404. Seven queries."""
    queryset = Role.objects.select_related("source").prefetch_related(
        Prefetch("duties", queryset=_duties()),
        Prefetch("titles", queryset=RoleTitle.objects.select_related("source")),
        Prefetch("facts", queryset=RoleFact.objects.select_related("source")),
        Prefetch("qualifications", queryset=Qualification.objects.select_related("source")),
        Prefetch(
            "lines_up",
            queryset=ReportingLine.objects.select_related("superior", "source").order_by("kind", "superior__position"),
        ),
        Prefetch(
            "lines_down",
            queryset=ReportingLine.objects.select_related("subordinate", "source").order_by(
                "kind", "subordinate__position"
            ),
        ),
    )
    return get_object_or_404(queryset, slug=slug)


def cited_sources(*fact_groups):
    """The distinct sources behind the given facts, in a stable order."""
    sources = {fact.source.pk: fact.source for group in fact_groups for fact in group if fact.source_id}
    return sorted(sources.values(), key=lambda source: source.slug)


def org_chart_graph() -> tuple[list[Role], list[tuple[int, int, str]]]:
    """Every role and every reporting line as (subordinate id, superior id, kind). Two queries."""
    roles = list(Role.objects.only("pk", "slug", "title", "abbreviation", "level", "position"))
    lines = list(
        ReportingLine.objects.order_by("superior__position", "subordinate__position", "kind", "pk").values_list(
            "subordinate_id", "superior_id", "kind"
        )
    )
    return roles, lines


def roles_for_comparison(slugs: list[str]) -> dict[str, Role]:
    """The named roles with duties, qualifications and key facts prefetched, by slug. Four queries."""
    queryset = Role.objects.filter(slug__in=slugs).prefetch_related(
        Prefetch("duties", queryset=_duties()),
        Prefetch("facts", queryset=RoleFact.objects.select_related("source")),
        Prefetch("qualifications", queryset=Qualification.objects.select_related("source")),
    )
    return {role.slug: role for role in queryset}


def role_choices() -> list[tuple[str, str]]:
    """(slug, title) of every role, for pickers. One query."""
    return [(role.slug, role.title) for role in Role.objects.only("pk", "slug", "title", "position")]


def org_tree(nodes: list[dict], edges: list[dict]) -> list[dict]:
    """Nest org-chart nodes by their solid (reports-to) edges; roots are roles with no solid superior.

    A role with two solid superiors appears under each. Cycles cannot be stored, but the walk
    stops at a role already on its own path anyway.
    """
    children = {node["slug"]: [] for node in nodes}
    has_superior = set()
    for edge in edges:
        if edge["kind"] == ReportingLine.Kind.REPORTS_TO and edge["target"] in children:
            children[edge["target"]].append(edge["source"])
            has_superior.add(edge["source"])
    by_slug = {node["slug"]: node for node in nodes}

    def build(slug, path):
        kids = [build(child, path | {slug}) for child in children[slug] if child not in path and child in by_slug]
        return {**by_slug[slug], "children": kids}

    return [build(node["slug"], frozenset()) for node in nodes if node["slug"] not in has_superior]


def next_position(queryset: QuerySet) -> int:
    """The position after the last row of ``queryset`` (new rows go to the end of their list)."""
    return (queryset.order_by().aggregate(last=Max("position"))["last"] or 0) + 1
