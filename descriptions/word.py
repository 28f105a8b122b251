"""A role's job description as a Word document (python-docx), laid out from the same role sheet as the PDF.

HR edits job descriptions in Word; this gives them the role as the knowledge base holds it — the
same headings, groups and endnotes as the PDF (``descriptions.documents``), in the reader's language.
"""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext
from docx import Document
from docx.shared import Pt

from roles.models import Role

from .sheet import RoleSheet, role_sheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Notes:
    """Numbers each cited row once, in the order the document shows it, as the PDF's endnotes do."""

    def __init__(self, sheet: RoleSheet):
        self.numbers = {id(row): n for n, row in enumerate(sheet.cited_in_order(), start=1)}
        self.rows = sheet.cited_in_order()

    def mark(self, row) -> str:
        number = self.numbers.get(id(row))
        return f" [{number}]" if number else ""


def _years(qualification) -> str:
    years = qualification.minimum_years
    if not years:
        return ""
    return " (" + ngettext("at least %(years)s year", "at least %(years)s years", years) % {"years": years} + ")"


def _bullets(document, items: list[str], empty: str) -> None:
    for text in items or [empty]:
        document.add_paragraph(text, style="List Bullet")


def job_description_docx(role: Role, language: str, address: str) -> bytes:
    """The Word document of a role loaded by ``role_with_everything`` (no further queries)."""
    sheet = role_sheet(role, language)
    notes = _Notes(sheet)
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = f"{role.title} · {_('Job description')}"
    document.core_properties.language = language
    document.core_properties.subject = role.summary[:255]

    document.add_paragraph(_("Job description")).runs[0].italic = True
    heading = f"{role.title} ({role.abbreviation})" if role.abbreviation else role.title
    document.add_heading(heading, level=0)
    if role.summary:
        document.add_paragraph(role.summary + notes.mark(role))

    facts = document.add_table(rows=0, cols=2)
    facts.style = "Light List"

    def fact_row(label: str, value: str) -> None:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value

    fact_row(_("Level"), str(role.get_level_display()))
    if role.occupation_code_list:
        fact_row(_("ISCO-08"), ", ".join(role.occupation_code_list))
    if sheet.titles:
        fact_row(_("Also known as"), ", ".join(t.title for t in sheet.titles))
    fact_row(
        _("Reports to"),
        "; ".join(line.superior.title + notes.mark(line) for line in sheet.reports_to)
        or _("No one: this is a top-level role."),
    )
    fact_row(
        _("Direct reports"),
        "; ".join(line.subordinate.title + notes.mark(line) for line in sheet.direct_reports) or _("None."),
    )
    for line in sheet.other_lines_up:
        fact_row(str(line.label_from_subordinate), line.superior.title + (f" — {line.note}" if line.note else ""))
    for line in sheet.other_lines_down:
        fact_row(str(line.label_from_superior), line.subordinate.title + (f" — {line.note}" if line.note else ""))

    if sheet.facts:
        document.add_heading(_("Key facts"), level=1)
        _bullets(document, [f"{f.get_kind_display()}: {f.text}{notes.mark(f)}" for f in sheet.facts], "")

    document.add_heading(_("Duties"), level=1)
    if not sheet.duty_groups:
        document.add_paragraph(_("No duties recorded yet."))
    for category, duties in sheet.duty_groups:
        document.add_heading(category.name, level=2)
        for duty in duties:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(duty.title).bold = True
            if duty.involvement != "performs":
                paragraph.add_run(f" ({duty.get_involvement_display()})")
            paragraph.add_run(notes.mark(duty))
            if duty.description:
                paragraph.add_run("\n" + duty.description)

    document.add_heading(_("Qualifications"), level=1)
    for label, rows in ((_("Required"), sheet.required), (_("Preferred"), sheet.preferred)):
        document.add_heading(label, level=2)
        items = [f"{q.get_kind_display()}: {q.text}{_years(q)}{notes.mark(q)}" for q in rows]
        _bullets(document, items, _("None recorded."))

    if notes.rows:
        document.add_heading(_("Sources"), level=1)
        document.add_paragraph(
            _("Each number in the text refers to the passage of the source document the statement was taken from.")
        )
        for number, row in enumerate(notes.rows, start=1):
            editorial = f" ({_('editorial reading')})" if row.editorial else ""
            document.add_paragraph(f"[{number}] “{row.excerpt}” — {row.source.title}{editorial}")

    generated = date_format(timezone.localtime(), "DATETIME_FORMAT")
    footer = document.add_paragraph(
        _(
            "Generated %(date)s from the Medical Roles KB. Statements marked “editorial” were written by the "
            "editorial team rather than taken from a source."
        )
        % {"date": generated}
    )
    footer.runs[0].font.size = Pt(8)
    document.add_paragraph(address).runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
