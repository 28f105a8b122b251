"""Roles, qualifications and reporting lines as spreadsheets (both languages as columns).

The CSVs and the workbooks share their tables; the workbooks of roles add ids, readable levels and
whom each role reports to. ``roles.csv`` keeps its columns as they were (clients read it by position).
"""

from knowledge.languages import column
from knowledge.spreadsheets import csv_text

from .models import Qualification, ReportingLine, Role

ROLE_COLUMNS = [
    "slug",
    "title_en",
    "title_nb",
    "abbreviation_en",
    "abbreviation_nb",
    "level",
    "occupation_codes",
    "department_en",
    "department_nb",
    "grade",
    "contract_basis",
    "summary_en",
    "summary_nb",
    "description_en",
    "description_nb",
    "source",
    "excerpt",
    "editorial",
]


def roles_csv() -> str:
    roles = Role.objects.select_related("source").order_by("position", "slug")

    def value(role, name):
        if name == "source":
            return role.source.slug if role.source else ""
        return getattr(role, name)

    return csv_text(ROLE_COLUMNS, ([value(role, name) for name in ROLE_COLUMNS] for role in roles))


def _source(row) -> str:
    return row.source.slug if row.source else ""


def roles_table() -> tuple[list[str], list[list]]:
    roles = list(Role.objects.select_related("source").order_by("position", "slug"))
    bosses: dict[int, list[Role]] = {}
    solid = ReportingLine.objects.filter(kind=ReportingLine.Kind.REPORTS_TO).select_related("superior")
    for line in solid.order_by("superior__position"):
        bosses.setdefault(line.subordinate_id, []).append(line.superior)
    header = ["id", *ROLE_COLUMNS, "level_name", "isco_codes", "reports_to", "reports_to_title", "reports_to_id"]

    def row(role):
        up = bosses.get(role.pk, [])
        own = [_source(role) if name == "source" else getattr(role, name) for name in ROLE_COLUMNS]
        return [
            role.pk, *own, str(role.get_level_display()), " ".join(role.occupation_code_list),
            ", ".join(b.slug for b in up), ", ".join(b.title for b in up), ", ".join(str(b.pk) for b in up),
        ]  # fmt: skip

    return header, [row(role) for role in roles]


def qualifications_table() -> tuple[list[str], list[list]]:
    header = [
        "id", "role", "role_title", "kind", "kind_name", "requirement", "requirement_name", "text_en", "text_nb",
        "minimum_years", "position", "source", "excerpt", "editorial",
    ]  # fmt: skip
    rows = Qualification.objects.select_related("role", "source").order_by("role__position", "position", "pk")
    return header, [
        [
            q.pk,
            q.role.slug,
            q.role.title,
            q.kind,
            str(q.get_kind_display()),
            q.requirement,
            str(q.get_requirement_display()),
            getattr(q, column("text", "en")),
            getattr(q, column("text", "nb")),
            q.minimum_years,
            q.position,
            _source(q),
            q.excerpt,
            q.editorial,
        ]  # fmt: skip
        for q in rows
    ]


def reporting_lines_table() -> tuple[list[str], list[list]]:
    header = [
        "id", "subordinate", "subordinate_title", "superior", "superior_title", "kind", "kind_name",
        "note_en", "note_nb", "source", "excerpt", "editorial",
    ]  # fmt: skip
    lines = ReportingLine.objects.select_related("subordinate", "superior", "source").order_by(
        "subordinate__position", "kind", "superior__position"
    )
    return header, [
        [
            line.pk,
            line.subordinate.slug,
            line.subordinate.title,
            line.superior.slug,
            line.superior.title,
            line.kind,
            str(line.get_kind_display()),
            getattr(line, column("note", "en")),
            getattr(line, column("note", "nb")),
            _source(line),
            line.excerpt,
            line.editorial,
        ]  # fmt: skip
        for line in lines
    ]
