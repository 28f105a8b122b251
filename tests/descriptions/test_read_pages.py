"""The read-only pages: directory and role page, in English and Norwegian, at a fixed query cost."""

import pytest
from django.urls import reverse

from roles.models import Role


def test_directory_lists_the_four_roles(client, kb):
    response = client.get("/")
    assert response.status_code == 200
    for title in ["Chief Medical Officer", "Associate Chief Medical Officer", "Medical Director", "Physician"]:
        assert title in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_directory_in_norwegian(client, kb):
    response = client.get("/nb/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in body
    assert "Medisinsk sjef" in body and "Assisterende medisinsk sjef" in body and "Lege" in body
    assert "Medisinske lederroller" in body  # the interface itself is translated, not only the content


def test_directory_with_no_roles_says_so(client, empty_kb):
    assert "No roles have been added yet." in client.get("/").content.decode()


@pytest.mark.parametrize(
    "slug", ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]
)
def test_each_role_page_renders_in_both_languages(client, kb, slug):
    role = Role.objects.get(slug=slug)
    english = client.get(f"/roles/{slug}/")
    norwegian = client.get(f"/nb/roles/{slug}/")
    assert english.status_code == norwegian.status_code == 200
    assert role.title_en in english.content.decode()
    assert role.title_nb in norwegian.content.decode()


def test_role_page_shows_duties_qualifications_lines_and_citations(client, kb):
    body = client.get("/roles/chief-medical-officer/").content.decode()
    assert "Set pay grades for staff" in body
    assert "Finance and resources" in body
    assert "Business acumen" in body
    assert 'href="/roles/associate-chief-medical-officer/"' in body
    assert "bestemmer lønnsgraden for ansatte" in body  # the verbatim Norwegian excerpt
    assert "1342" in body


def test_role_page_links_up_the_reporting_line(client, kb):
    body = client.get("/roles/physician/").content.decode()
    assert 'href="/roles/medical-director/"' in body
    assert "editorial" in body


def test_unknown_role_is_404(client, kb):
    assert client.get("/roles/chief-of-everything/").status_code == 404


def test_pages_refuse_writes(client, kb):
    assert client.post("/").status_code == 405
    assert client.post("/roles/physician/").status_code == 405


def test_pages_need_sign_in_when_public_read_is_off(client, kb, settings, reader):
    settings.KB_PUBLIC_READ = False
    response = client.get("/roles/physician/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(reader)
    assert client.get("/roles/physician/").status_code == 200


def test_directory_query_count_is_fixed(client, kb, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/")


@pytest.mark.parametrize("slug", ["chief-medical-officer", "physician"])
def test_role_page_query_count_is_fixed(client, kb, django_assert_num_queries, slug):
    with django_assert_num_queries(7):
        client.get(f"/roles/{slug}/")


def test_language_switch_links_to_the_same_page(client, kb):
    body = client.get("/roles/physician/").content.decode()
    assert 'href="/nb/roles/physician/"' in body
    body = client.get("/nb/roles/physician/").content.decode()
    assert 'href="/roles/physician/"' in body


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
