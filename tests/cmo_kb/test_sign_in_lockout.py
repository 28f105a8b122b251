"""Repeated failed sign-ins lock the username + address out for a while, with a clear page."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from kb_testing import PASSWORD

LOGIN = "/admin/login/"


def sign_in(client, password, username="editor", address="10.0.0.7", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, **kwargs):
    return [sign_in(client, "wrong password", **kwargs) for _ in range(5)]


def test_four_failures_show_the_form_again_and_the_fifth_locks_out(client, staff_editor):
    responses = fail_five_times(client)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    page = responses[-1].content.decode()
    assert "Sign-in temporarily locked" in page
    assert "There were 5 failed sign-in attempts for this account from your address." in page
    assert "sign-in is blocked for 15 minutes" in page
    assert "Content-Security-Policy" in responses[-1].headers


def test_the_right_password_is_refused_while_locked_out(client, staff_editor):
    fail_five_times(client)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_in_works_again_after_the_cool_off(client, staff_editor):
    fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_editor.pk)


def test_cool_off_and_limit_follow_the_settings(client, staff_editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)

    responses = [sign_in(client, "wrong password") for _ in range(2)]

    assert [r.status_code for r in responses] == [200, 429]
    assert "sign-in is blocked for 1 minute." in responses[-1].content.decode()


def test_lockout_is_per_username_and_address(client, staff_editor, django_user_model):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    fail_five_times(client)

    assert sign_in(client, PASSWORD, address="10.0.0.8").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, username="other").status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, staff_editor):
    for _ in range(4):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    responses = [sign_in(client, "wrong password") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]


def test_the_lockout_page_is_served_in_norwegian_under_nb(client, staff_editor):
    responses = fail_five_times(client, url="/nb" + LOGIN)

    assert responses[-1].status_code == 429
    assert '<html lang="nb">' in responses[-1].content.decode()


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(client, staff_editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="forged, 192.0.2.10",
        )

    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"
    # Another client behind the same proxy is not locked out.
    response = client.post(
        LOGIN, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="192.0.2.11"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("weak", ["password", "12345678901", "short", "editor2024"])
def test_weak_passwords_are_refused_by_the_validators(staff_editor, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=staff_editor)


def test_the_sign_in_page_locks_out_too(client, staff_editor):
    responses = fail_five_times(client, url="/accounts/login/")

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Sign-in temporarily locked" in responses[-1].content.decode()
    assert sign_in(client, PASSWORD, url="/accounts/login/").status_code == 429
