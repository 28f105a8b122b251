"""Text out of an uploaded document, with the document's type read from its bytes, not its name.

Kinds: PDF (pypdf), Word .docx (python-docx), HTML (inscriptis, which keeps the layout's line
breaks) and plain text (UTF-8, or Windows-1252 as a fallback). Anything else — an image, an
archive, an encrypted PDF, a file with no text — is refused with a message saying what to do;
nothing is written to disk and the file name is kept only as the source's origin.
"""

import io
import re
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from knowledge.models import Source

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = Source._meta.get_field("text").max_length or 200_000
ACCEPTED = ".txt, .html, .pdf, .docx"

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<p[\s>]|<div|<h[1-6][\s>]|<article)", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


# Room for the form's other fields and the multipart framing around the file.
REQUEST_OVERHEAD_BYTES = 64 * 1024


def request_too_large(request) -> bool:
    """Whether the request body is over the upload limit, judged before any of it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_UPLOAD_BYTES + REQUEST_OVERHEAD_BYTES


def too_large_message() -> str:
    return _("The file is larger than the limit of %(limit)s MB. Upload a smaller file or paste its text.") % {
        "limit": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def sniff(data: bytes) -> str:
    """The document's kind from its first bytes: "pdf", "docx", "html" or "text"; refuses anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise ValidationError(_("This archive is not a Word document (.docx). Upload %(kinds)s.") % {"kinds": ACCEPTED})
    kind = filetype.guess(data)
    if kind is not None:
        raise ValidationError(
            _("This is a %(kind)s file, not a document. Upload %(kinds)s.")
            % {"kind": kind.extension, "kinds": ACCEPTED}
        )
    if b"\x00" in data[:4096]:
        raise ValidationError(_("This is not a text document. Upload %(kinds)s.") % {"kinds": ACCEPTED})
    return "html" if _HTML_START.match(data.lstrip(b"\xef\xbb\xbf")) else "text"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is encrypted. Save an unprotected copy (or paste its text) and try again.")
            )
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(_("This PDF cannot be read; it may be damaged. Paste its text instead.")) from error


def _docx_text(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValidationError(_("This Word document cannot be read; it may be damaged.")) from error
    return "\n\n".join(paragraph.text for paragraph in document.paragraphs)


def _html_text(data: bytes) -> str:
    from inscriptis import get_text

    return get_text(_decode(data))


def normalise(text: str) -> str:
    """Text as stored: NFC, Unix line breaks, no control or direction characters, no runs of blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def extract(data: bytes) -> str:
    """The normalised text of an uploaded document; ValidationError when there is none to take."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message())
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    kind = sniff(data)
    readers = {"pdf": _pdf_text, "docx": _docx_text, "html": _html_text, "text": _decode}
    text = normalise(readers[kind](data))
    check_text(text)
    return text


def check_text(text: str) -> None:
    if not any(ch.isalnum() for ch in text):
        raise ValidationError(
            _("No text could be taken from this document (a scanned PDF holds only pictures). Paste its text instead.")
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            _("The document's text is longer than the limit of %(limit)s characters.")
            % {"limit": f"{MAX_TEXT_CHARS:,}"}
        )
