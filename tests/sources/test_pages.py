"""The source pages: list with coverage, a source's text, adding a source, citing by choosing a sentence, marks."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import Source
from responsibilities.models import Duty
from sources.models import SentenceMark

from kb_testing import PNG, encrypted_pdf_bytes, pdf_bytes

ACMO = "associate-chief-medical-officer"


def test_the_list_shows_each_source_with_its_coverage(anon_client, kb, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = anon_client.get("/sources/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Associate chief medical officer" in page and "Hva gjør en medisinsk sjef?" in page
    assert "100 % (58 of 58 sentences)" in page


def test_the_list_is_in_norwegian_under_nb(anon_client, kb):
    page = anon_client.get("/nb/sources/").content.decode()
    assert "Kilder" in page and "setninger" in page


def test_a_source_page_highlights_cited_passages_and_links_them_to_their_facts(anon_client, kb):
    page = anon_client.get(f"/sources/{ACMO}/").content.decode()
    duty = Duty.objects.filter(source__slug=ACMO, excerpt__startswith="Budget management").first()
    assert duty is not None
    assert "<mark>Budget management" in page or re.search(r"<mark>[^<]*Budget management", page)
    assert 'class="cite-ref"' in page and 'id="c-1"' in page
    assert duty.title in page


def test_uncited_sentences_are_marked(anon_client, kb, editor):
    source = Source.objects.create(slug="notes", title="Notes", language="en", text="Nobody cites this.")
    page = anon_client.get(f"/sources/{source.slug}/").content.decode()
    assert 'class="sentence uncited' in page and "(not cited)" in page
    assert "0 % (0 of 1 sentences)" in page


def test_readers_see_no_cite_form_and_cannot_mark(reader_client, kb):
    page = reader_client.get(f"/sources/{ACMO}/").content.decode()
    assert 'id="cite"' not in page
    source = Source.objects.get(slug=ACMO)
    response = reader_client.post(f"/sources/{ACMO}/marks/", {"sentence": 1, "reason_en": "x"})
    assert response.status_code == 403
    assert not SentenceMark.objects.filter(source=source, reason_en="x").exists()


def test_a_missing_source_is_404(anon_client, kb):
    assert anon_client.get("/sources/no-such-source/").status_code == 404


def test_citing_a_sentence_creates_the_row_through_the_role_item_form(editor_client, kb):
    source = Source.objects.create(
        slug="surgery", title="Surgery", language="en", text="The director leads surgical audits. Another one."
    )
    page = editor_client.get("/sources/surgery/?sentence=1").content.decode()
    assert "The director leads surgical audits.</textarea>" in page  # the chosen sentence fills the passage
    response = editor_client.get(
        "/sources/surgery/cite/",
        {"excerpt": "leads surgical audits", "role": "medical-director", "kind": "duties"},
    )
    assert response.status_code == 302
    add_page = response["Location"]
    assert add_page.startswith("/roles/medical-director/duties/add/?")
    form_page = editor_client.get(add_page).content.decode()
    assert "leads surgical audits</textarea>" in form_page and f'<option value="{source.pk}" selected>' in form_page
    assert 'name="editorial" id="id_editorial" checked' not in form_page
    category = Duty.objects.filter(role__slug="medical-director").first().category
    response = editor_client.post(
        add_page,
        {
            "category": category.pk,
            "title_en": "Surgical audits",
            "title_nb": "Kirurgiske revisjoner",
            "involvement": "performs",
            "source": source.pk,
            "excerpt": "leads surgical audits",
            "next": "/sources/surgery/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/sources/surgery/"
    duty = Duty.objects.get(title_en="Surgical audits")
    assert (duty.source, duty.excerpt, duty.role.slug) == (source, "leads surgical audits", "medical-director")
    assert duty.editorial is False
    assert duty.history.first().history_user is not None  # written by the write layer, with its author
    page = editor_client.get("/sources/surgery/").content.decode()
    assert "<mark>leads surgical audits</mark>" in page
    assert "50 % (1 of 2 sentences)" in page


def test_a_passage_not_in_the_source_is_refused(editor_client, kb):
    response = editor_client.get(
        f"/sources/{ACMO}/cite/", {"excerpt": "invented words", "role": "medical-director", "kind": "duties"}
    )
    assert response.status_code == 400
    assert "does not occur in the source" in response.content.decode()


def test_next_must_stay_on_the_site(editor_client, kb):
    page = editor_client.get("/roles/medical-director/facts/add/?next=https://evil.example/").content.decode()
    assert 'name="next"' not in page
    assert 'href="https://evil.example/">' not in page


def test_an_editor_marks_a_sentence_as_stating_nothing(editor_client, kb):
    Source.objects.create(slug="notes", title="Notes", language="en", text="Cookie banner. The CMO leads.")
    page = editor_client.get("/sources/notes/?sentence=1").content.decode()
    assert 'id="mark"' in page
    response = editor_client.post("/sources/notes/marks/", {"sentence": 1, "reason_en": "", "reason_nb": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = editor_client.post("/sources/notes/marks/", {"sentence": 1, "reason_en": "Page furniture."})
    assert response.status_code == 302
    mark = SentenceMark.objects.get(source__slug="notes")
    assert mark.excerpt == "Cookie banner."
    assert "50 % (1 of 2 sentences)" in editor_client.get("/sources/notes/").content.decode()
    response = editor_client.post(f"/sources/notes/marks/{mark.pk}/delete/", {"version": mark.version})
    assert response.status_code == 302 and not SentenceMark.objects.filter(pk=mark.pk).exists()


def test_an_editor_adds_a_source_by_uploading_a_pdf(editor_client, kb):
    upload = SimpleUploadedFile("../../etc/Head of surgery.pdf", pdf_bytes("The head of surgery leads surgery."))
    response = editor_client.post(
        "/sources/new/", {"title": "Head of surgery", "language": "en", "file": upload, "date": "2025-05-11"}
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Head of surgery")
    assert response["Location"] == f"/sources/{source.slug}/"
    assert source.text == "The head of surgery leads surgery."
    assert source.origin == "Head of surgery.pdf"  # the name only, never a path
    assert len(source.checksum) == 64 and str(source.date) == "2025-05-11"


def test_an_editor_adds_a_source_by_pasting_text(editor_client, kb):
    response = editor_client.post(
        "/sources/new/", {"title": "Notes", "language": "nb", "text": "Sjefen leder.", "origin": "https://example.org/"}
    )
    assert response.status_code == 302
    assert Source.objects.get(slug="notes").origin == "https://example.org/"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.pdf", PNG, "not a document"),
        ("locked.pdf", None, "encrypted"),
        ("empty.txt", b"", "The submitted file is empty."),
        ("dots.txt", b"... --- ...", "No text could be taken"),
    ],
)
def test_bad_uploads_are_refused_and_store_nothing(editor_client, kb, name, content, message):
    if content is None:
        content = encrypted_pdf_bytes("Secret text.")
    before = Source.objects.count()
    upload = SimpleUploadedFile(name, content)
    response = editor_client.post("/sources/new/", {"title": "Bad", "language": "en", "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Source.objects.count() == before


def test_an_upload_over_the_limit_is_refused_naming_the_limit(editor_client, kb, monkeypatch):
    monkeypatch.setattr("sources.extract.MAX_UPLOAD_BYTES", 10)
    upload = SimpleUploadedFile("big.txt", b"Words and more words.")
    response = editor_client.post("/sources/new/", {"title": "Big", "language": "en", "file": upload})
    assert response.status_code == 400 and "limit of" in response.content.decode()
    assert not Source.objects.filter(title="Big").exists()


def test_the_same_text_twice_is_refused(editor_client, kb):
    text = Source.objects.get(slug=ACMO).text
    response = editor_client.post("/sources/new/", {"title": "Copy", "language": "en", "text": text})
    assert response.status_code == 400 and "stored already" in response.content.decode()


def test_readers_cannot_add_sources(reader_client, kb):
    assert reader_client.get("/sources/new/").status_code == 403
    assert reader_client.post("/sources/new/", {"title": "X", "language": "en", "text": "x"}).status_code == 403


def test_wrong_methods_are_refused(editor_client, kb):
    assert editor_client.post("/sources/").status_code == 405
    assert editor_client.get(f"/sources/{ACMO}/marks/").status_code == 405


def test_a_request_over_the_limit_is_refused_before_it_is_read(editor_client, kb, monkeypatch):
    monkeypatch.setattr("sources.extract.MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr("sources.extract.REQUEST_OVERHEAD_BYTES", 0)
    upload = SimpleUploadedFile("big.txt", b"x" * 500)
    response = editor_client.post("/sources/new/", {"title": "Big", "language": "en", "file": upload})
    assert response.status_code == 413 and "limit of" in response.content.decode()
    assert not Source.objects.filter(title="Big").exists()


def test_the_source_page_reads_in_a_fixed_number_of_queries(anon_client, kb, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = anon_client.get(f"/sources/{ACMO}/")
    assert response.status_code == 200
