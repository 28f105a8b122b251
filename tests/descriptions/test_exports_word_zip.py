"""A role as a Word document, and several roles' PDFs in one zip, in both languages."""

import io
import re
import zipfile

from docx import Document

from roles.models import Role


def _text(response) -> str:
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_role_downloads_as_a_word_job_description(client, cmo):
    clean = _text(client.get("/roles/chief-medical-officer/docx/"))
    assert "Purpose of the role" in clean and "[1]" not in clean  # the hiring edition: no citations

    response = client.get("/roles/chief-medical-officer/docx/?citations=1")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="chief-medical-officer-en-cited.docx"'
    text = _text(response)
    duty = cmo.duties.order_by("category__position", "position").first()
    assert "Chief Medical Officer" in text
    for expected in ("Job description", "Duties", "Qualifications", "Required", "Reports to", "Sources", duty.title):
        assert expected in text
    assert "[1] “" in text  # the cited passages, numbered as in the PDF
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    table = [cell.text for row in document.tables[0].rows for cell in row.cells]  # read first, under the title
    body = table + paragraphs[: paragraphs.index("Sources")]
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", "\n".join(body))]
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(first_seen) + 1)), numbers  # a new passage takes the next number
    assert "http://testserver/roles/chief-medical-officer/" in text


def test_the_word_document_is_in_norwegian_under_nb(client, cmo):
    text = _text(client.get("/nb/roles/chief-medical-officer/docx/"))

    assert cmo.title_nb in text
    assert "Stillingsbeskrivelse" in text
    assert "Duties" not in text


def test_an_unknown_role_has_no_word_document(client, kb):
    assert client.get("/roles/nobody/docx/").status_code == 404


def test_several_roles_come_as_one_zip_of_pdfs(client, kb):
    response = client.get("/roles/pdf/", {"roles": "physician,medical-director"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["physician-en.pdf", "medical-director-en.pdf"]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_the_zip_page_offers_a_choice_and_explains_a_bad_one(client, kb):
    page = client.get("/roles/pdf/")
    assert page.status_code == 200
    assert b'name="roles" value="physician"' in page.content

    bad = client.get("/nb/roles/pdf/", {"roles": "physician,nobody"})
    assert bad.status_code == 400
    assert "nobody" in bad.content.decode()


def test_pdf_is_a_reserved_role_address(kb):
    import pytest
    from django.core.exceptions import ValidationError

    from roles.models import validate_unreserved_slug

    with pytest.raises(ValidationError):
        validate_unreserved_slug("pdf")
    assert not Role.objects.filter(slug="pdf").exists()
