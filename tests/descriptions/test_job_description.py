"""The job description in two editions: clean for hiring, and with its sources as ordered endnotes."""

import io
import re

import pytest
from pypdf import PdfReader

from descriptions.demo import generate_demo_org
from roles.models import Role


def pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def note_numbers(html: str) -> list[int]:
    """The endnote references in the order they appear in the text."""
    return [int(n) for n in re.findall(r'class="noteref" href="#note-(\d+)"', html)]


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_the_clean_pdf_fits_two_pages_with_no_citations(client, kb, prefix):
    text = pages(client.get(f"{prefix}/roles/chief-medical-officer/pdf/"))

    assert len(text) <= 2
    whole = "\n".join(text)
    assert "Hva gjør en medisinsk sjef?" not in whole  # no source titles: no endnotes
    assert ("Krav til kompetanse" if prefix else "Person specification") in whole


def test_the_cited_pdf_numbers_its_endnotes_in_reading_order(client, kb):
    response = client.get("/roles/chief-medical-officer/pdf/?citations=1")
    text = pages(response)
    html = client.get("/roles/chief-medical-officer/job-description/?citations=1").content.decode()

    numbers = note_numbers(html)
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(first_seen) + 1))  # 1, 2, 3 … as the reader meets them
    assert len(first_seen) > 10
    assert len(re.findall(r'<li id="note-\d+"', html)) == len(first_seen)  # each passage listed once
    assert len(text) <= 4 and "Hva gjør en medisinsk sjef?" in "\n".join(text)
    assert response["Content-Disposition"] == 'inline; filename="chief-medical-officer-with-sources-en.pdf"'


def test_the_clean_edition_has_no_note_marks_and_no_own_title_as_another_name(client, kb):
    html = client.get("/nb/roles/chief-medical-officer/job-description/").content.decode()

    assert note_numbers(html) == [] and "editorial-mark" not in html
    also = html.split("Også kjent som</th><td>")[1].split("</td>")[0]
    assert also == "medisinsk offiser"  # not "medisinsk sjef", the heading's own title


def test_the_norwegian_quotes_are_marked_in_the_english_edition(client, kb):
    html = client.get("/roles/chief-medical-officer/job-description/?citations=1").content.decode()

    assert '<q lang="nb">' in html and '<q lang="en">' in html
    assert "quoted as published in that language" in html


def test_the_role_fields_a_job_description_needs_are_shown_when_set(client, kb):
    role = Role.objects.get(slug="physician")
    Role.objects.filter(pk=role.pk).update(
        department_en="Cardiology", department_nb="Kardiologi", grade="Consultant", contract_basis="permanent"
    )

    html = client.get("/roles/physician/job-description/").content.decode()
    nb = client.get("/nb/roles/physician/").content.decode()

    assert '<th scope="row">Department</th><td>Cardiology</td>' in html
    assert '<th scope="row">Grade or band</th><td>Consultant</td>' in html
    assert '<th scope="row">Contract basis</th><td>Permanent</td>' in html
    assert "<dd>Kardiologi</dd>" in nb and "<dd>Fast</dd>" in nb


def test_a_director_of_a_large_department_lists_some_reports_and_counts_the_rest(client, kb):
    generate_demo_org(40)
    director = Role.objects.filter(slug__startswith="demo-", slug__endswith="-director").first()

    html = client.get(f"/roles/{director.slug}/job-description/").content.decode()

    assert "more roles (see the org chart)" in html
    assert html.count(director.summary) == 2  # the meta description and the purpose, not a repeating fact
    assert len(pages(client.get(f"/roles/{director.slug}/pdf/"))) <= 2
