"""Duties and the responsibility matrix as spreadsheets (both languages as columns)."""

import io

from knowledge.languages import per_language
from knowledge.spreadsheets import csv_text, spreadsheet_cell

from .matrix import Matrix
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


def _duties():
    return Duty.objects.select_related("role", "category", "source").order_by(
        "role__position", "category__position", "position", "pk"
    )


def duties_table() -> tuple[list[str], list[list]]:
    """The duties as the CSV has them, with ids, the role's title and the readable involvement added."""
    header = ["id", DUTY_COLUMNS[0], "role_title", *DUTY_COLUMNS[1:], "involvement_name"]
    rows = []
    for duty in _duties():
        values = _duty_row(duty)
        rows.append([duty.pk, values[0], duty.role.title, *values[1:], str(duty.get_involvement_display())])
    return header, rows


def duties_csv() -> str:
    return csv_text(DUTY_COLUMNS, (_duty_row(duty) for duty in _duties()))


def _duty_row(duty) -> list:
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MATRIX_COLUMNS = ["category", "category_name_en", "category_name_nb", "activity", "title_en", "title_nb"]
CELL_COLUMNS = [
    "category",
    "activity",
    "activity_title_en",
    "activity_title_nb",
    "role",
    "role_title_en",
    "role_title_nb",
    "letter",
    "duty_title_en",
    "duty_title_nb",
    "source",
    "excerpt",
    "editorial",
]


def _texts(obj, name: str) -> list[str]:
    """A translated field's text in each language (English, Norwegian)."""
    return [getattr(obj, column) for column in per_language(name)] if obj is not None else ["", ""]


def _matrix_header(matrix: Matrix) -> list[str]:
    return [*MATRIX_COLUMNS, *(role.slug for role in matrix.roles), "breaks"]


def _matrix_rows(matrix: Matrix):
    for row in matrix.rows:
        activity = row.activity
        yield [
            activity.category.slug,
            *_texts(activity.category, "name"),
            activity.slug,
            *_texts(activity, "title"),
            *(slot.cell.letter if slot.cell else "" for slot in row.slots),
            " ".join(row.breaks),
        ]


def _cell_rows(matrix: Matrix):
    for cell in matrix.assignments:
        yield [
            cell.activity.category.slug,
            cell.activity.slug,
            *_texts(cell.activity, "title"),
            cell.role.slug,
            *_texts(cell.role, "title"),
            cell.letter,
            *_texts(cell.duty, "title"),
            cell.source.slug if cell.source else "",
            cell.excerpt,
            cell.editorial,
        ]


def raci_csv(matrix: Matrix) -> str:
    """The matrix as the page shows it: a row per activity, a column per role (by slug), the letters."""
    return csv_text(_matrix_header(matrix), _matrix_rows(matrix))


def raci_xlsx(matrix: Matrix) -> bytes:
    """A workbook: the matrix (sheet "RACI") and every cell with its duty and citation (sheet "Cells")."""
    from openpyxl import Workbook  # here, not at the top: ~20 MB a process that never exports

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "RACI"
    # Roles by slug and, on a second header row, by title in both languages.
    sheet.append(_matrix_header(matrix))
    sheet.append(["", "", "", "", "", "", *(" / ".join(_texts(role, "title")) for role in matrix.roles), ""])
    for values in _matrix_rows(matrix):
        sheet.append([spreadsheet_cell(value) for value in values])
    sheet.freeze_panes = "G3"
    cells = workbook.create_sheet("Cells")
    cells.append(CELL_COLUMNS)
    for values in _cell_rows(matrix):
        cells.append([spreadsheet_cell(value) for value in values])
    cells.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
