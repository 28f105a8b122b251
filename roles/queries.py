"""Reads that cross relations, shaped so each page costs a fixed number of queries."""

from django.db.models import Count, Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


def roles_for_directory() -> QuerySet[Role]:
    return Role.objects.annotate(duty_count=Count("duties", distinct=True)).order_by("position", "slug")


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


def next_position(queryset: QuerySet) -> int:
    """The position after the last row of ``queryset`` (new rows go to the end of their list)."""
    return (queryset.order_by().aggregate(last=Max("position"))["last"] or 0) + 1
