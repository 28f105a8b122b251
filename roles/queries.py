"""Reads that cross relations, shaped so each page costs a fixed number of queries."""

from .models import ReportingLine, Role


def org_chart_graph() -> tuple[list[Role], list[tuple[int, int, str]]]:
    """Every role and every reporting line as (subordinate id, superior id, kind). Two queries."""
    roles = org_chart_roles()
    lines = list(
        ReportingLine.objects.order_by("superior__position", "subordinate__position", "kind", "pk").values_list(
            "subordinate_id", "superior_id", "kind"
        )
    )
    return roles, lines


def org_chart_roles() -> list[Role]:
    return list(Role.objects.only("pk", "slug", "title", "abbreviation", "level", "position"))


def org_chart_lines() -> list[dict]:
    """Every reporting line in the org chart's order, with its id, note (both languages) and editorial flag."""
    rows = ReportingLine.objects.order_by("superior__position", "subordinate__position", "kind", "pk")
    return [
        dict(row)
        for row in rows.values("pk", "subordinate_id", "superior_id", "kind", "note_en", "note_nb", "editorial")
    ]


def role_choices() -> list[tuple[str, str]]:
    """(slug, title) of every role, for pickers. One query."""
    return [(role.slug, role.title) for role in Role.objects.only("pk", "slug", "title", "position")]
