"""Newcomers and operators: add_user, branded error pages, static files that cannot fail every page."""

import io
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from whitenoise.middleware import WhiteNoiseMiddleware

from cmo_kb import staticfiles

PASSWORD = "a-long-and-unusual-passphrase"


def add_user(*args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_user_creates_an_editor_who_can_sign_in(client, monkeypatch):
    message = add_user("kari", "--group", "Editors", "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)

    user = get_user_model().objects.get(username="kari")
    assert message.strip() == "Created user 'kari' in Editors."
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert client.login(username="kari", password=PASSWORD)


@pytest.mark.django_db
def test_add_user_reads_the_password_from_the_environment_and_makes_approvers(monkeypatch):
    monkeypatch.setenv("KB_USER_PASSWORD", PASSWORD)
    add_user("ola", "--group", "Approvers", "--group", "Editors", "--email", "ola@example.org")

    user = get_user_model().objects.get(username="ola")
    assert sorted(user.groups.values_list("name", flat=True)) == ["Approvers", "Editors"]
    assert user.check_password(PASSWORD) and user.email == "ola@example.org"
    assert Group.objects.filter(name="Approvers").count() == 1


@pytest.mark.django_db
def test_add_user_adds_an_existing_user_to_a_group_and_keeps_the_password(monkeypatch):
    add_user("kari", "--group", "Editors", "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    message = add_user("kari", "--group", "Approvers")

    user = get_user_model().objects.get(username="kari")
    assert "password unchanged" in message and user.check_password(PASSWORD)
    assert sorted(user.groups.values_list("name", flat=True)) == ["Approvers", "Editors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stdin", "error"),
    [
        ("1234\n", "The password was refused: This password is too short."),
        ("\n", "standard input held no password"),
    ],
)
def test_add_user_explains_a_refused_password_and_creates_nobody(monkeypatch, stdin, error):
    with pytest.raises(CommandError, match=error):
        add_user("kari", "--group", "Editors", "--password-stdin", stdin=stdin, monkeypatch=monkeypatch)
    assert not get_user_model().objects.filter(username="kari").exists()


@pytest.mark.django_db
def test_add_user_without_a_terminal_says_how_to_give_a_password(monkeypatch):
    monkeypatch.delenv("KB_USER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-stdin or set KB_USER_PASSWORD"):
        add_user("kari", "--group", "Editors")


@pytest.mark.django_db
def test_add_user_refuses_an_unknown_group():
    with pytest.raises(CommandError, match="invalid choice: 'Admins'"):
        add_user("kari", "--group", "Admins")


@pytest.mark.parametrize(("prefix", "heading"), [("", "We cannot find that page"), ("/nb", "Vi finner ikke den siden")])
def test_a_missing_page_is_branded_in_the_readers_language(client, kb, prefix, heading):
    response = client.get(f"{prefix}/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html and 'class="site-header"' in html
    assert f'href="{prefix}/"' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Something went wrong on our side"), ("nb", "Noe gikk galt hos oss")]
)
def test_the_500_page_renders_without_a_request_or_a_database(language, heading):
    # No django_db mark: any query would fail the test.
    with translation.override(language):
        html = render_to_string("500.html")
    assert f"<h1>{heading}</h1>" in html and f'<html lang="{language}">' in html


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html"])
def test_every_error_page_extends_the_site_layout(template, rf):
    with translation.override("nb"):
        html = render_to_string(template, request=rf.get("/"))
    assert 'class="site-header"' in html and '<html lang="nb">' in html


def test_static_files_not_collected_stop_the_server_with_the_command_to_run(tmp_path):
    # The uncompressed variant: the same manifest, without minutes of compressing in a test.
    storages = {"staticfiles": {"BACKEND": "cmo_kb.staticfiles.CollectedStaticFilesUncompressed"}}
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=storages):
        errors = staticfiles.static_files_collected(None)
        url = render_to_string("500.html")  # a page still renders: the plain name is served

        assert [e.id for e in errors] == ["cmo_kb.E001"]
        assert "collectstatic --noinput" in errors[0].hint
        assert "/static/css/site.css" in url

        call_command("collectstatic", "--noinput", verbosity=0)
        assert staticfiles.static_files_collected(None) == []

        # WhiteNoise asks for names no directory holds (``d3-flextree.min.js`` → ``d3-flextree.js``) to
        # tell hashed files from plain ones: that is no missing file, and no error at every start.
        plain = override_settings(WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False)
        with plain, mock.patch.object(staticfiles.logger, "error") as logged:
            served = WhiteNoiseMiddleware(lambda request: None)
        assert logged.call_count == 0
        hashed = next(url for url in served.files if re.search(r"/site\.[0-9a-f]{12}\.css$", url))
        assert served.immutable_file_test(str(tmp_path / hashed), hashed)
