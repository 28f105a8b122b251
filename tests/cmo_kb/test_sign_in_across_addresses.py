"""Guessing one account's password from many addresses is limited too, and the proxy recipe is safe."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

PASSWORD = "a-long-and-careful-passphrase"  # noqa: S105 - a throwaway test account
LOGIN = "/admin/login/"


@pytest.fixture
def staff(db):
    return User.objects.create_user("staffer", password=PASSWORD, is_staff=True)


def sign_in(client, password, address):
    return client.post(LOGIN, {"username": "staffer", "password": password}, REMOTE_ADDR=address)


def test_four_failures_from_each_of_five_addresses_lock_the_username_everywhere(client, staff, settings):
    settings.KB_LOGIN_USERNAME_FAILURE_LIMIT = 20
    statuses = [sign_in(client, "guess", f"10.0.0.{n}").status_code for n in range(1, 6) for _ in range(4)]

    refused = sign_in(client, PASSWORD, "10.9.9.9")  # the right password, from an address never used before

    assert statuses == [200] * 20  # no single address reached its own limit of five
    assert refused.status_code == 429
    assert "from several addresses" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_below_the_username_limit_the_right_password_from_a_new_address_signs_in(client, staff, settings):
    settings.KB_LOGIN_USERNAME_FAILURE_LIMIT = 20
    for n in range(1, 5):
        for _ in range(4):
            sign_in(client, "guess", f"10.0.0.{n}")

    response = sign_in(client, PASSWORD, "10.9.9.9")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_username_lock_ends_with_the_cool_off(client, staff, settings):
    settings.KB_LOGIN_USERNAME_FAILURE_LIMIT = 3
    for n in range(3):
        sign_in(client, "guess", f"10.0.0.{n}")
    assert sign_in(client, PASSWORD, "10.9.9.9").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, PASSWORD, "10.9.9.9").status_code == 302


def test_other_usernames_are_not_affected(client, staff, settings):
    settings.KB_LOGIN_USERNAME_FAILURE_LIMIT = 3
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    for n in range(3):
        sign_in(client, "guess", f"10.0.0.{n}")

    response = client.post(LOGIN, {"username": "colleague", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 302


def test_deploy_check_warns_about_a_proxy_without_trusted_proxy_count(settings, capsys):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0

    call_command("check", "--deploy", "--tag", "security")

    assert "cmo_kb.W001" in capsys.readouterr().err


def test_deploy_check_is_quiet_when_the_proxy_is_counted(settings, capsys):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1

    call_command("check", "--deploy", "--tag", "security")

    assert "cmo_kb.W001" not in capsys.readouterr().err
