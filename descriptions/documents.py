"""A role's job description as an A4 PDF (WeasyPrint), with every cited excerpt as an endnote."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from roles.models import Role

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


def job_description_context(role: Role, language: str) -> dict:
    """The role sheet, with each source excerpt numbered as an endnote in the order the sheet shows it."""
    sheet = role_sheet(role, language)
    notes = sheet.cited_in_order()
    for number, row in enumerate(notes, start=1):
        row.endnote = number
    return {**sheet.context(), "sheet": sheet, "notes": notes, "generated": timezone.localtime()}


def job_description_pdf(request, role: Role) -> bytes:
    """The PDF, or ``TooLongToPrint`` when the sheet's text is over ``MAX_CHARACTERS``."""
    context = job_description_context(role, request.LANGUAGE_CODE)
    characters = context["sheet"].characters()
    if characters > MAX_CHARACTERS:
        raise TooLongToPrint(characters)
    html = render_to_string("descriptions/role_pdf.html", context, request=request)
    base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(request.get_host())).write_pdf()
