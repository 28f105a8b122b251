"""The org-chart API and its tree keep their rendered bytes per structure version and media type.

At 10,000 roles rendering the ~4 MB body took ~40 ms of every request; kept, a request is a lookup.
"""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from knowledge import services
from roles import queries
from roles.models import Role

PATHS = ["/api/v1/org-chart/", "/api/v1/org-chart/tree/"]


@pytest.fixture
def no_response_cache(settings):
    settings.KB_RESPONSE_CACHE = False


@pytest.mark.parametrize("path", PATHS)
def test_a_second_read_is_not_rendered_again(anon_client, kb, no_response_cache, monkeypatch, path):
    first = anon_client.get(path)

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(JSONRenderer, "render", refuse)
    again = anon_client.get(path)

    assert again.status_code == 200
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", PATHS)
def test_each_media_type_and_language_is_kept_apart(anon_client, kb, no_response_cache, path):
    compact = anon_client.get(path)
    indented = anon_client.get(path, HTTP_ACCEPT="application/json; indent=2")
    norwegian = anon_client.get(path + "?lang=nb")

    assert indented.content.startswith(b"{\n  " if path.endswith("org-chart/") else b"[\n  ")
    assert json.loads(indented.content) == json.loads(compact.content)
    assert indented["Content-Type"] == "application/json"
    assert norwegian.content != compact.content
    assert anon_client.get(path).content == compact.content


@pytest.mark.parametrize("path", PATHS)
def test_a_change_of_the_chart_is_rendered_on_the_next_read(anon_client, kb, editor, no_response_cache, path):
    anon_client.get(path)
    role = Role.objects.get(slug="physician")

    services.content_update(instance=role, data={"title_en": "Ward Physician Kept"}, user=editor, expected_version=None)

    assert b"Ward Physician Kept" in anon_client.get(path).content


def test_media_type_parameters_never_add_a_kept_copy(anon_client, kb, no_response_cache):
    anon_client.get("/api/v1/org-chart/")
    kept = len(queries._KEPT)

    for n in range(20):
        answer = anon_client.get("/api/v1/org-chart/", HTTP_ACCEPT=f"application/json; indent={n % 9}; x={n}")
        assert answer.status_code == 200

    assert len(queries._KEPT) == kept
