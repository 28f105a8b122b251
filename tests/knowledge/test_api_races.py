"""Writes that race each other end in a clear answer — never a 500 (PostgreSQL, real concurrent connections)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from knowledge import services
from roles.models import Role, RoleFact

from kb_testing import run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def token():
    editor = User.objects.create_user("racer")
    # The data migration's Editors group does not survive the flush between transactional tests.
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="roles"))
    return Token.objects.create(user=editor).key


def client(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def at_once(requests):
    """Send every request from its own thread and connection, all released together; the status codes."""
    return [response.status_code for response in run_together(*requests)]


@pytest.fixture
def fact():
    role = services.content_create(
        model=Role,
        data={"slug": "racing", "title_en": "Racing", "title_nb": "Racing", "level": "clinician", "editorial": True},
        user=None,
    )
    return services.content_create(
        model=RoleFact, data={"role": role, "kind": "overview", "text_en": "Fast.", "editorial": True}, user=None
    )


def test_ten_deletes_of_one_row_give_one_204_and_no_server_error(token, fact):
    etag = client(token).get(f"/api/v1/facts/{fact.pk}/")["ETag"]

    statuses = at_once([lambda: client(token).delete(f"/api/v1/facts/{fact.pk}/", HTTP_IF_MATCH=etag)] * 10)

    assert statuses.count(204) == 1, statuses
    assert set(statuses) <= {204, 404, 412}, statuses
    assert not RoleFact.objects.filter(pk=fact.pk).exists()


def test_changes_racing_a_delete_get_404_or_succeed_first(token, fact):
    url = f"/api/v1/facts/{fact.pk}/"

    def change():
        return client(token).patch(url, {"text_en": "Changed."}, format="json", HTTP_IF_MATCH="*")

    statuses = at_once([change] * 5 + [lambda: client(token).delete(url, HTTP_IF_MATCH="*")] + [change] * 5)

    assert statuses.count(204) == 1, statuses
    assert set(statuses) <= {200, 204, 404}, statuses


def test_if_match_star_changes_whatever_the_version(token, fact):
    url = f"/api/v1/facts/{fact.pk}/"

    statuses = at_once(
        [
            lambda n=n: client(token).patch(url, {"text_en": f"Text {n}."}, format="json", HTTP_IF_MATCH="*")
            for n in range(8)
        ]
    )

    assert statuses == [200] * 8
    fact.refresh_from_db()
    assert fact.version == 1 + 8
