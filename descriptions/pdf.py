"""HTML to PDF with WeasyPrint, fetching nothing but the site's own static files.

Imported where a PDF is drawn (``documents.job_description_pdf``), not with the views: the engine
and its fonts are a large part of a process, and most workers never draw a PDF.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


def render_pdf(html: str, *, base_url: str, host: str) -> bytes:
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(host)).write_pdf()


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
