"""Whole responses are cached by knowledge-base version: any write invalidates, signed-in pages never mix."""

import sqlite3

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches

from descriptions.demo import generate_demo_org
from knowledge import services, version as kb_version
from responsibilities.models import Duty
from roles.models import Role

HIT = "X-KB-Cache"

pytestmark = pytest.mark.usefixtures("response_cache_on")


def test_a_repeated_read_is_served_from_the_cache(kb, client):
    first = client.get("/api/v1/roles/physician/")
    second = client.get("/api/v1/roles/physician/")

    assert HIT not in first
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_write_through_the_services_shows_on_the_next_api_read(kb, client):
    client.get("/api/v1/roles/physician/")
    role = Role.objects.get(slug="physician")

    services.content_update(instance=role, data={"summary_en": "Treats patients."}, user=None, expected_version=None)
    response = client.get("/api/v1/roles/physician/")

    assert HIT not in response
    assert response.json()["summary"] == "Treats patients."


def test_a_write_to_a_duty_shows_on_the_role_page(kb, client):
    client.get("/roles/physician/")
    duty = Duty.objects.filter(role__slug="physician").first()
    data = {"title_en": "See patients on the ward every morning"}
    services.content_update(instance=duty, data=data, user=None, expected_version=None)

    response = client.get("/roles/physician/")

    assert HIT not in response
    assert "See patients on the ward every morning" in response.content.decode()


def test_a_delete_shows_on_the_next_list_read(kb, client):
    client.get("/api/v1/duties/?role__slug=physician")
    duty = Duty.objects.filter(role__slug="physician").first()

    services.content_delete(instance=duty, user=None, expected_version=None)
    response = client.get("/api/v1/duties/?role__slug=physician")

    assert duty.pk not in [row["id"] for row in response.json()["results"]]


def test_generating_the_demo_org_invalidates_cached_lists(kb, client):
    before = client.get("/api/v1/roles/").json()["count"]

    generate_demo_org(20)

    assert client.get("/api/v1/roles/").json()["count"] == before + 20


def test_every_write_bumps_the_knowledge_base_version(kb):
    start = kb_version.current()
    role = Role.objects.get(slug="physician")
    services.content_update(instance=role, data={}, user=None, expected_version=None)
    after_save = kb_version.current()
    services.content_delete(instance=role.titles.first(), user=None, expected_version=None)

    assert start < after_save < kb_version.current()


def test_signed_in_pages_are_neither_served_from_nor_stored_in_the_anonymous_cache(kb, client):
    user = User.objects.create_user("editor-anna")
    client.get("/")  # the anonymous page is now cached

    client.force_login(user)
    signed_in = client.get("/")
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/")

    assert HIT not in signed_in
    assert "editor-anna" in signed_in.content.decode()
    assert anonymous[HIT] == "hit"
    assert "editor-anna" not in anonymous.content.decode()


def test_languages_are_cached_apart(kb, client):
    client.get("/api/v1/roles/physician/")
    client.get("/roles/physician/")
    english = client.get("/api/v1/roles/physician/")
    norwegian = client.get("/api/v1/roles/physician/?lang=nb")
    negotiated = client.get("/api/v1/roles/physician/", HTTP_ACCEPT_LANGUAGE="nb")
    page_en = client.get("/roles/physician/")
    page_nb = client.get("/nb/roles/physician/")

    assert english[HIT] == page_en[HIT] == "hit"
    assert english.json()["title"] == "Physician"
    assert norwegian.json()["title"] == negotiated.json()["title"] == "Lege"
    assert '<html lang="en">' in page_en.content.decode()
    assert '<html lang="nb">' in page_nb.content.decode()


def test_token_authenticated_api_reads_skip_the_cache(kb, client):
    client.get("/api/v1/roles/")

    response = client.get("/api/v1/roles/", HTTP_AUTHORIZATION="Token not-a-valid-token")

    assert response.status_code == 401  # refused by the view, not answered from the cache
    assert HIT not in response


def test_the_list_etag_changes_on_write_and_answers_304_until_then(kb, client):
    etag = client.get("/api/v1/roles/")["ETag"]

    unchanged = client.get("/api/v1/roles/", HTTP_IF_NONE_MATCH=etag)
    services.content_update(
        instance=Role.objects.get(slug="physician"), data={"summary_en": "Edited."}, user=None, expected_version=None
    )
    changed = client.get("/api/v1/roles/", HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_nothing_is_cached_when_anonymous_reading_is_off(kb, client, settings):
    settings.KB_PUBLIC_READ = False
    client.get("/")

    response = client.get("/")

    assert response.status_code == 302
    assert HIT not in response


@pytest.mark.parametrize("failing", ["get", "set"])
def test_a_cache_that_fails_costs_the_cache_not_the_page(kb, client, monkeypatch, caplog, failing):
    """A full disk under the host's cache, or a Redis gone: the page is drawn and served all the same."""

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(caches["default"], failing, fail)

    for _ in range(2):
        response = client.get("/roles/physician/")
        assert response.status_code == 200 and b"Physician" in response.content
        assert "X-KB-Cache" not in response
    assert "Could not" in caplog.text
