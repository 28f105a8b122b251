"""A role as a PDF job description: both languages, content type, bookmarks, only local files fetched."""

import logging
import re
import zlib
from unittest import mock

import pytest

from roles.models import Role


def pdf_titles(content: bytes) -> list[str]:
    """Every /Title in the PDF (document info and bookmarks), looking inside compressed streams too."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            chunks.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    titles = []
    for chunk in chunks:
        titles += [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", chunk)]
        titles += [t.decode("latin-1") for t in re.findall(rb"/Title\s*\((.*?)\)", chunk)]
    return titles


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_pdf_is_a_job_description_with_the_role_title(client, kb, prefix, django_assert_max_num_queries):
    role = Role.objects.get(slug="chief-medical-officer")
    expected = role.title_nb if prefix else role.title_en

    with django_assert_max_num_queries(8):
        response = client.get(f"{prefix}/roles/chief-medical-officer/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="chief-medical-officer-{"nb" if prefix else "en"}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    titles = pdf_titles(response.content)
    assert any(t.startswith(expected) for t in titles if "·" not in t)  # the h1, as a bookmark
    assert any(t.startswith(f"{expected} · ") for t in titles)  # the document title


def test_pdf_stylesheet_is_one_the_renderer_understands(client, kb):
    """Every property of pdf.css is one WeasyPrint knows: an unknown one is a warning in the log at every PDF."""
    with mock.patch.object(logging.getLogger("weasyprint"), "warning") as warned:
        assert client.get("/roles/chief-medical-officer/pdf/").status_code == 200
    assert [call.args for call in warned.call_args_list] == []


def test_pdf_of_unknown_role_is_404(client, kb):
    assert client.get("/roles/nobody/pdf/").status_code == 404
    assert client.get("/nb/roles/nobody/pdf/").status_code == 404


def test_pdf_renderer_fetches_only_local_static_files(rf, settings):
    from descriptions.pdf import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher("testserver")

    css = fetcher.fetch("http://testserver/static/css/pdf.css")
    assert b"@page" in css.read()
    for url in [
        "https://example.com/static/css/pdf.css",
        "http://testserver/media/x.png",
        "file:///etc/passwd",
        "http://testserver/static/../settings.py",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
