"""Text out of uploaded documents: the kind read from the bytes, bad files refused with a reason."""

import pytest
from django.core.exceptions import ValidationError

from sources import extract

from kb_testing import PNG, docx_bytes, encrypted_pdf_bytes, pdf_bytes

TEXT = "The head of surgery leads the surgical department.\nShe chairs the theatre committee."


def test_pdf_text_is_taken_out():
    text = extract.extract(pdf_bytes(TEXT))
    assert "The head of surgery leads the surgical department." in text
    assert "She chairs the theatre committee." in text


def test_docx_text_is_taken_out():
    assert (
        extract.extract(docx_bytes(TEXT))
        == "The head of surgery leads the surgical department.\n\nShe chairs the theatre committee."
    )


def test_html_is_turned_into_text_without_its_markup_or_scripts():
    html = (
        b"<!DOCTYPE html><html><head><script>alert(1)</script></head>"
        b"<body><h1>Head</h1><p>Leads <b>surgery</b>.</p></body></html>"
    )
    text = extract.extract(html)
    assert "Leads surgery." in text and "Head" in text
    assert "<" not in text and "alert" not in text


def test_plain_text_is_normalised():
    text = extract.extract(b"\xef\xbb\xbfLine one.\r\n\r\n\r\n\r\nLine\ttwo.  \n\x07")
    assert text == "Line one.\n\nLine two."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG, "This is a png file, not a document"),
        (b"", "The file is empty."),
        (b"   \n  ", "The file is empty."),
        (b"....\n----", "No text could be taken"),
        (b"PK\x03\x04not really a zip", "not a Word document"),
        (b"%PDF-1.7\nbroken", "cannot be read"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, message):
    with pytest.raises(ValidationError) as refused:
        extract.extract(data)
    assert message in " ".join(refused.value.messages)


def test_an_encrypted_pdf_is_refused():
    with pytest.raises(ValidationError, match="encrypted"):
        extract.extract(encrypted_pdf_bytes(TEXT))


def test_a_file_over_the_limit_is_refused_naming_the_limit(settings):
    with pytest.raises(ValidationError, match="limit of 5 MB"):
        extract.extract(b"a" * (extract.MAX_UPLOAD_BYTES + 1))


def test_the_kind_comes_from_the_content_not_the_name():
    assert extract.sniff(pdf_bytes(TEXT)) == "pdf"
    assert extract.sniff(docx_bytes(TEXT)) == "docx"
    assert extract.sniff(b"<html><body>x</body></html>") == "html"
    assert extract.sniff(b"just words") == "text"
