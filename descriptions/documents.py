"""A role's job description as an A4 PDF (WeasyPrint) and a print page: clean for hiring, or with its sources."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from knowledge.models import Source
from roles.models import Role, RoleFact, RoleTitle

from .sheet import role_sheet

# A job description longer than this many characters (some fifteen pages) is not rendered as a PDF:
# the engine lays out a few pages a second, and the role page prints the same text.
MAX_CHARACTERS = 40_000


class TooLongToPrint(Exception):
    def __init__(self, characters: int):
        self.characters = characters
        super().__init__(f"{characters} characters")


# A job description lists this many direct reports by name and counts the rest (a director of a
# large department has dozens, which belong in the org chart, not on page one).
DIRECT_REPORTS_LISTED = 8


@dataclass
class Endnote:
    number: int
    excerpt: str
    source: Source
    editorial: bool
    foreign: bool  # quoted in a language other than the document's


def number_endnotes(rows: list, language: str) -> list[Endnote]:
    """Give each cited row the number of its passage, in the order the rows are read.

    A passage quoted by several rows keeps its first number, so numbers only ever rise in the text.
    """
    notes: dict[tuple[int, str], Endnote] = {}
    for row in rows:
        if not (row.source_id and row.excerpt):
            continue
        key = (row.source_id, row.excerpt)
        if key not in notes:
            foreign = row.source.language != language
            notes[key] = Endnote(len(notes) + 1, row.excerpt, row.source, row.editorial, foreign)
        row.endnote = notes[key].number
    return list(notes.values())


def job_description_context(role: Role, language: str, *, citations: bool = False) -> dict:
    """What the job description shows, in reading order; with ``citations``, its numbered endnotes.

    The clean edition (for hiring) leaves out the source apparatus and the sources' pay remarks; the
    cited edition numbers every quoted passage in the order the reader meets it.
    """
    sheet = role_sheet(role, language)
    shown_titles = {role.title.casefold(), (role.abbreviation or "").casefold()}
    also_known_as = [
        t for t in sheet.titles if t.kind == RoleTitle.Kind.ALTERNATIVE and t.title.casefold() not in shown_titles
    ]
    # An overview that only repeats the summary says nothing new under it.
    summary = (role.summary or "").strip().casefold()
    overview = [f for f in sheet.facts if f.kind == RoleFact.Kind.OVERVIEW and f.text.strip().casefold() != summary]
    scope = [fact for fact in sheet.facts if fact.kind == RoleFact.Kind.SCOPE]
    pay = [fact for fact in sheet.facts if fact.kind == RoleFact.Kind.COMPENSATION] if citations else []
    direct_reports = sheet.direct_reports[:DIRECT_REPORTS_LISTED]
    notes = []
    if citations:
        # As the template lays them out: the header table, the purpose, scope, duties, qualifications.
        reading_order = [*sheet.reports_to, *direct_reports, *sheet.other_lines_up, *sheet.other_lines_down, role]
        reading_order += [*overview, *scope, *pay, *sheet.duties, *sheet.required, *sheet.preferred]
        notes = number_endnotes(reading_order, language)
    return {
        **sheet.context(),
        "sheet": sheet,
        "citations": citations,
        "also_known_as": also_known_as,
        "overview": overview,
        "scope": scope,
        "pay": pay,
        "direct_reports": direct_reports,
        "more_direct_reports": len(sheet.direct_reports) - len(direct_reports),
        "notes": notes,
        "foreign_notes": any(note.foreign for note in notes),
        "generated": timezone.localtime(),
    }


def job_description_html(request, role: Role, *, citations: bool) -> str:
    context = job_description_context(role, request.LANGUAGE_CODE, citations=citations)
    return render_to_string("descriptions/role_pdf.html", context, request=request)


def job_description_pdf(request, role: Role, *, citations: bool = False) -> bytes:
    """The PDF, or ``TooLongToPrint`` when the sheet's text is over ``MAX_CHARACTERS``."""
    context = job_description_context(role, request.LANGUAGE_CODE, citations=citations)
    characters = context["sheet"].characters()
    if characters > MAX_CHARACTERS:
        raise TooLongToPrint(characters)
    html = render_to_string("descriptions/role_pdf.html", context | {"for_pdf": True}, request=request)
    # Here, not at the top: WeasyPrint is ~45 MB a process, and only a worker that draws a PDF needs it.
    from .pdf import render_pdf

    return render_pdf(html, base_url=request.build_absolute_uri("/"), host=request.get_host())
