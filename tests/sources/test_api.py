"""POST /api/v1/sources/ (JSON text or a multipart file) and GET /api/v1/health/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import Source

from kb_testing import PNG, docx_bytes, encrypted_pdf_bytes, pdf_bytes


def test_an_editor_adds_a_source_as_json_text(token_client, kb):
    response = token_client.post(
        "/api/v1/sources/",
        {"title": "Head of surgery", "language": "en", "text": "She leads surgery.\r\n", "date": "2025-05-11"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    source = Source.objects.get(slug="head-of-surgery")
    assert response["Location"] == "http://testserver/api/v1/sources/head-of-surgery/"
    assert response["ETag"]
    assert body.pop("created_at") == body.pop("updated_at")  # a new row (tests/knowledge/test_timestamps.py)
    assert body == {
        "slug": "head-of-surgery",
        "title": "Head of surgery",
        "language": "en",
        "origin": "",
        "date": "2025-05-11",
        "checksum": source.checksum,
        "text": "She leads surgery.",
        "version": 1,
    }
    assert token_client.get(response["Location"]).json()["text"] == "She leads surgery."


@pytest.mark.parametrize(("name", "make"), [("doc.pdf", pdf_bytes), ("doc.docx", docx_bytes)])
def test_an_editor_uploads_a_document(token_client, kb, name, make):
    upload = SimpleUploadedFile(f"C:\\Users\\x\\{name}", make("The chief leads the board."))
    response = token_client.post(
        "/api/v1/sources/", {"title": f"Upload {name}", "language": "en", "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin"] == name and body["text"] == "The chief leads the board."


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"file": ("pic.pdf", PNG)}, "file", "not a document"),
        ({"file": ("locked.pdf", None)}, "file", "encrypted"),
        ({"text": "...."}, "text", "No text could be taken"),
        ({}, "non_field_errors", "either `text` or a `file`"),
        ({"text": "Fine.", "file": ("a.txt", b"Also fine.")}, "non_field_errors", "not both"),
        ({"text": "A new text.", "slug": "hva-gjor-en-medisinsk-sjef"}, "slug", "exists already"),
    ],
)
def test_bad_input_is_a_problem_and_stores_nothing(token_client, kb, payload, field, message):
    data = {"title": "Bad", "language": "en"}
    for name, value in payload.items():
        if isinstance(value, tuple):
            filename, content = value
            value = SimpleUploadedFile(filename, content if content is not None else encrypted_pdf_bytes("Secret."))
        data[name] = value
    before = Source.objects.count()
    response = token_client.post("/api/v1/sources/", data, format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in " ".join(response.json()["errors"][field])
    assert Source.objects.count() == before


def test_a_file_over_the_limit_is_refused_naming_the_limit(token_client, kb, monkeypatch):
    monkeypatch.setattr("sources.extract.MAX_UPLOAD_BYTES", 8)
    upload = SimpleUploadedFile("big.txt", b"Longer than eight bytes.")
    response = token_client.post(
        "/api/v1/sources/", {"title": "Big", "language": "en", "file": upload}, format="multipart"
    )
    assert response.status_code == 400 and "limit of" in response.json()["errors"]["file"][0]


def test_readers_and_anonymous_clients_cannot_add_sources(reader_api_client, anon_client, kb):
    data = {"title": "X", "language": "en", "text": "Some text."}
    assert reader_api_client.post("/api/v1/sources/", data, format="json").status_code == 403
    assert anon_client.post("/api/v1/sources/", data, format="json").status_code in (401, 403)
    assert not Source.objects.filter(title="X").exists()


def test_sources_are_never_changed_or_deleted_through_the_api(token_client, kb):
    url = "/api/v1/sources/hva-gjor-en-medisinsk-sjef/"
    assert token_client.patch(url, {"title": "X"}, format="json").status_code == 405
    assert token_client.delete(url).status_code == 405


def test_the_schema_describes_adding_a_source_and_the_health(anon_client, kb):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/sources/"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert "201" in post["responses"]
    assert "get" in schema["paths"]["/api/v1/health/"]


def test_health_is_for_editors(token_client, reader_api_client, anon_client, kb):
    assert reader_api_client.get("/api/v1/health/").status_code == 403
    assert anon_client.get("/api/v1/health/").status_code in (401, 403)
    body = token_client.get("/api/v1/health/").json()
    keys = [section["key"] for section in body["sections"]]
    assert keys == [
        "uncited",
        "stale_citations",
        "roles_without_duties",
        "roles_without_lines",
        "near_duplicates",
        "coverage",
    ]
    assert {share["role"] for share in body["editorial_share"]} >= {"chief-medical-officer", "physician"}


def test_a_request_over_the_limit_is_a_413_before_it_is_read(token_client, kb, monkeypatch):
    monkeypatch.setattr("sources.extract.MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr("sources.extract.REQUEST_OVERHEAD_BYTES", 0)
    upload = SimpleUploadedFile("big.txt", b"x" * 500)
    response = token_client.post(
        "/api/v1/sources/", {"title": "Big", "language": "en", "file": upload}, format="multipart"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json" and "limit of" in response.json()["detail"]
