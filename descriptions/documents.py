"""A role's job description as an A4 PDF (WeasyPrint) and a print page: clean for hiring, or with its sources."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from knowledge.models import Source
from roles.models import Role, RoleFact, RoleTitle

from .sheet import role_sheet


class StaticOnlyFetcher(URLFetcher):
    """Serves the site's own static files from disk and refuses everything else.

    WeasyPrint would otherwise follow any URL in the document over the network; a job
    description needs nothing but our stylesheet, so nothing else is fetched.
    """

    def __init__(self, host: str):
        super().__init__(allowed_protocols=())
        self.host = host

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if (
            parts.scheme not in ("http", "https")
            or parts.netloc != self.host
            or not parts.path.startswith(static_prefix)
        ):
            raise ValueError(f"Refusing to fetch {url!r}: only the site's static files are available to PDFs.")
        name = unquote(parts.path[len(static_prefix) :])
        path = static_file_path(name)
        if path is None:
            raise ValueError(f"No static file {name!r}.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_file_path(name: str) -> Path | None:
    """The file behind a static URL path: the collected (possibly hashed) copy, else the source."""
    if ".." in Path(name).parts:
        return None
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        collected = None
    if collected is not None and collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if found else None


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
    base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(request.get_host())).write_pdf()
