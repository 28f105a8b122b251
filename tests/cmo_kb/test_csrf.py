"""CSRF protection on every form and on session-authenticated API writes."""

import re

import pytest
from django.test import Client

from responsibilities.models import Duty

from kb_testing import PASSWORD


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def post_forms(html):
    return re.findall(r"<form\b[^>]*method=[\"']post[\"'][^>]*>.*?</form>", html, flags=re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/nb/",
        "/roles/chief-medical-officer/",
        "/nb/roles/physician/",
        "/admin/",
        "/admin/roles/role/",
        "/admin/password_change/",
        "/accounts/login/",
        "/roles/new/",
        "/roles/chief-medical-officer/edit/",
        "/nb/roles/physician/edit/",
        "/roles/physician/history/",
        "/roles/physician/duties/add/",
        "/roles/physician/facts/add/",
        "/roles/physician/qualifications/add/",
        "/roles/physician/lines/add/",
        "DUTY_EDIT",
        "DUTY_DELETE",
    ],
)
def test_every_post_form_carries_a_csrf_token(csrf_client, kb, staff_editor, url):
    csrf_client.force_login(staff_editor)
    staff_editor.is_superuser = True
    staff_editor.save()
    duty = Duty.objects.filter(role__slug="physician").first()
    url = {
        "DUTY_EDIT": f"/roles/physician/duties/{duty.pk}/edit/",
        "DUTY_DELETE": f"/roles/physician/duties/{duty.pk}/delete/",
    }.get(url, url)

    response = csrf_client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()

    forms = post_forms(html)
    assert forms, f"no POST form on {url}"  # at least the sign-out form
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_the_sign_in_form_carries_a_csrf_token(csrf_client, db):
    forms = post_forms(csrf_client.get("/admin/login/").content.decode())

    assert len(forms) == 1 and 'name="csrfmiddlewaretoken"' in forms[0]


def test_sign_in_without_a_csrf_token_is_refused(csrf_client, staff_editor):
    response = csrf_client.post("/admin/login/", {"username": "editor", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_sign_in_with_the_csrf_token_works(csrf_client, staff_editor):
    csrf_client.get("/admin/login/")
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        "/admin/login/", {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_sign_out_without_a_csrf_token_is_refused(csrf_client, staff_editor):
    csrf_client.force_login(staff_editor)

    response = csrf_client.post("/accounts/logout/")

    assert response.status_code == 403
    assert csrf_client.session["_auth_user_id"] == str(staff_editor.pk)


def test_language_switch_without_a_csrf_token_is_refused(csrf_client, db):
    response = csrf_client.post("/i18n/setlang/", {"language": "nb", "next": "/"})

    assert response.status_code == 403


def test_admin_change_without_a_csrf_token_is_refused(csrf_client, kb, staff_editor):
    staff_editor.is_superuser = True
    staff_editor.save()
    csrf_client.force_login(staff_editor)

    response = csrf_client.post("/admin/roles/role/add/", {"slug": "intruder", "title_en": "Intruder"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/duties/"),
        ("patch", "/api/v1/roles/chief-medical-officer/"),
        ("delete", "/api/v1/roles/physician/"),
    ],
)
def test_session_authenticated_api_writes_need_the_csrf_token(csrf_client, kb, staff_editor, method, url):
    csrf_client.force_login(staff_editor)

    response = getattr(csrf_client, method)(url, {"title": "x"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_csrf_failures_carry_the_security_headers(csrf_client, db):
    response = csrf_client.post("/i18n/setlang/", {"language": "nb"})

    assert response.status_code == 403
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    ["/roles/physician/edit/", "/roles/physician/duties/add/", "/roles/new/", "DUTY_EDIT", "DUTY_DELETE"],
)
def test_edit_forms_refuse_a_post_without_the_csrf_token(csrf_client, kb, staff_editor, url):
    csrf_client.force_login(staff_editor)
    duty = Duty.objects.filter(role__slug="physician").first()
    url = {
        "DUTY_EDIT": f"/roles/physician/duties/{duty.pk}/edit/",
        "DUTY_DELETE": f"/roles/physician/duties/{duty.pk}/delete/",
    }.get(url, url)
    before = Duty.objects.filter(pk=duty.pk).values().get()

    response = csrf_client.post(url, {"title_en": "Forged", "version": duty.version})

    assert response.status_code == 403
    assert Duty.objects.filter(pk=duty.pk).values().get() == before
