"""The health check, and what pages and the API answer while the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


DB_DOWN = "django.db.backends.utils.CursorWrapper.execute"


UNAVAILABLE = {
    "en": "The service is briefly unavailable. Please try again in a few seconds.",
    "nb": "Tjenesten er utilgjengelig en kort stund. Prøv igjen om noen sekunder.",
}


@pytest.mark.parametrize(
    ("url", "language"), [("/", "en"), ("/roles/physician/", "en"), ("/nb/roles/physician/", "nb")]
)
def test_pages_answer_503_with_retry_after_while_the_database_is_down(db, url, language):
    client = Client(raise_request_exception=False)
    with mock.patch(DB_DOWN, side_effect=OperationalError("server closed the connection unexpectedly")):
        response = client.get(url)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.content.decode() == UNAVAILABLE[language]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_api_answers_503_problem_json_while_the_database_is_down(db):
    client = Client(raise_request_exception=False)
    with mock.patch(DB_DOWN, side_effect=OperationalError("the database system is shutting down")):
        response = client.get("/api/v1/roles/physician/")

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "/api/v1/problems/unavailable",
        "title": "The service is briefly unavailable. Please try again in a few seconds.",
        "status": 503,
        "detail": "The service is briefly unavailable. Please try again in a few seconds.",
        "instance": "/api/v1/roles/physician/",
    }


def test_other_server_errors_stay_500(db):
    client = Client(raise_request_exception=False)
    with mock.patch(DB_DOWN, side_effect=ZeroDivisionError):
        response = client.get("/roles/physician/")

    assert response.status_code == 500
    assert "Retry-After" not in response.headers
