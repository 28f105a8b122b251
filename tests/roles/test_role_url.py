"""A role's address, reversed once per language and URL setup rather than for every link."""

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from roles.addresses import role_url


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("slug", ["physician", "demo-oncology-bergvik-physician-12", "a_b-9"])
def test_role_url_is_what_reverse_gives(language, slug):
    with translation.override(language):
        assert role_url(slug) == reverse("descriptions:detail", kwargs={"slug": slug})


def test_role_url_follows_the_script_prefix_and_the_urlconf():
    assert role_url("physician") == "/roles/physician/"
    set_script_prefix("/kb/")
    try:
        assert role_url("physician") == "/kb/roles/physician/"
    finally:
        clear_script_prefix()
    with override_settings(ROOT_URLCONF="tests.roles.urls_elsewhere"):
        assert role_url("physician") == "/elsewhere/roles/physician/"
    assert role_url("physician") == "/roles/physician/"
