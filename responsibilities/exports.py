"""Duties as a spreadsheet (both languages as columns)."""

from knowledge.spreadsheets import csv_text

from .models import Duty

DUTY_COLUMNS = [
    "role",
    "category",
    "category_name_en",
    "category_name_nb",
    "title_en",
    "title_nb",
    "description_en",
    "description_nb",
    "involvement",
    "position",
    "source",
    "excerpt",
    "editorial",
]


def duties_csv() -> str:
    duties = Duty.objects.select_related("role", "category", "source").order_by(
        "role__position", "category__position", "position", "pk"
    )

    def row(duty):
        return [
            duty.role.slug,
            duty.category.slug,
            duty.category.name_en,
            duty.category.name_nb,
            duty.title_en,
            duty.title_nb,
            duty.description_en,
            duty.description_nb,
            duty.involvement,
            duty.position,
            duty.source.slug if duty.source else "",
            duty.excerpt,
            duty.editorial,
        ]

    return csv_text(DUTY_COLUMNS, (row(duty) for duty in duties))
