"""A role's job description as a Word document (python-docx), laid out from the same role sheet as the PDF.

HR edits job descriptions in Word; this gives them the role as the knowledge base holds it — the
same headings, groups and endnotes as the PDF (``descriptions.documents``), in the reader's language.
"""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext

from roles.models import Role

from .documents import job_description_context

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mark(row) -> str:
    """The row's endnote number as the PDF prints it (set by ``documents.number_endnotes``)."""
    number = getattr(row, "endnote", None)
    return f" [{number}]" if number else ""


def _years(qualification) -> str:
    years = qualification.minimum_years
    if not years:
        return ""
    return " (" + ngettext("at least %(years)s year", "at least %(years)s years", years) % {"years": years} + ")"


def _bullets(document, items: list[str], empty: str) -> None:
    for text in items or [empty]:
        document.add_paragraph(text, style="List Bullet")


def job_description_docx(role: Role, language: str, address: str, *, citations: bool = False) -> bytes:
    """The Word document of a role loaded by ``role_with_everything`` (no further queries).

    The same two editions as the PDF, from the same context: the clean job description, and with
    ``citations`` the numbered endnotes in reading order.
    """
    # Here, not at the top: python-docx (with lxml) is ~17 MB a process that never exports.
    from docx import Document
    from docx.shared import Pt

    context = job_description_context(role, language, citations=citations)
    sheet = context["sheet"]
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = f"{role.title} · {_('Job description')}"
    document.core_properties.language = language
    document.core_properties.subject = role.summary[:255]

    eyebrow = _("Job description") + (f" · {_('with sources')}" if citations else "")
    document.add_paragraph(eyebrow).runs[0].italic = True
    heading = f"{role.title} ({role.abbreviation})" if role.abbreviation else role.title
    document.add_heading(heading, level=0)

    facts = document.add_table(rows=0, cols=2)
    facts.style = "Light List"

    def fact_row(label: str, value: str) -> None:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = str(label), value

    if role.department:
        fact_row(_("Department"), role.department)
    if role.grade:
        fact_row(_("Grade or band"), role.grade)
    if role.contract_basis:
        fact_row(_("Contract basis"), str(role.get_contract_basis_display()))
    fact_row(_("Level"), str(role.get_level_display()))
    fact_row(
        _("Reports to"),
        "; ".join(line.superior.title + _mark(line) for line in sheet.reports_to)
        or _("No one: this is a top-level role."),
    )
    reports = [line.subordinate.title + _mark(line) for line in context["direct_reports"]]
    more = context["more_direct_reports"]
    if more:
        reports.append(
            ngettext(
                "and %(counter)s more role (see the org chart)", "and %(counter)s more roles (see the org chart)", more
            )
            % {"counter": more}
        )
    fact_row(_("Direct reports"), "; ".join(reports) or _("None."))
    for line in sheet.other_lines_up:
        note = f" — {line.note}" if line.note else ""
        fact_row(str(line.label_from_subordinate), line.superior.title + note + _mark(line))
    for line in sheet.other_lines_down:
        note = f" — {line.note}" if line.note else ""
        fact_row(str(line.label_from_superior), line.subordinate.title + note + _mark(line))
    if context["also_known_as"]:
        fact_row(_("Also known as"), ", ".join(t.title for t in context["also_known_as"]))
    if citations and role.occupation_code_list:
        fact_row(_("ISCO-08"), ", ".join(role.occupation_code_list))

    if role.summary or role.description or context["overview"]:
        document.add_heading(_("Purpose of the role"), level=1)
        if role.summary:
            document.add_paragraph(role.summary + _mark(role))
        if role.description:
            document.add_paragraph(role.description)
        for fact in context["overview"]:
            document.add_paragraph(fact.text + _mark(fact), style="List Bullet")
    if context["scope"] or context["pay"]:
        document.add_heading(_("Scope and authority"), level=1)
        items = [f.text + _mark(f) for f in context["scope"]]
        items += [f"{f.get_kind_display()}: {f.text}{_mark(f)}" for f in context["pay"]]
        _bullets(document, items, "")

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
            paragraph.add_run(_mark(duty))
            if duty.description:
                paragraph.add_run("\n" + duty.description)

    document.add_heading(_("Qualifications"), level=1)
    for label, rows in ((_("Required"), sheet.required), (_("Preferred"), sheet.preferred)):
        document.add_heading(label, level=2)
        items = [f"{q.get_kind_display()}: {q.text}{_years(q)}{_mark(q)}" for q in rows]
        _bullets(document, items, _("None recorded."))

    if context["notes"]:
        document.add_heading(_("Sources"), level=1)
        document.add_paragraph(
            _("Each number in the text refers to the passage of the source document the statement was taken from.")
        )
        for note in context["notes"]:
            editorial = f" ({_('editorial reading')})" if note.editorial else ""
            document.add_paragraph(f"[{note.number}] “{note.excerpt}” — {note.source.title}{editorial}")

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
