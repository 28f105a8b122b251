"""Roles as a spreadsheet (both languages as columns)."""

from knowledge.spreadsheets import csv_text

from .models import Role

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
