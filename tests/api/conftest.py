"""Clients with different rights, and the shipped knowledge base, for the API tests."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from knowledge.seed import load_knowledge_base
from roles.models import Role


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # The throttles count requests in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


CONTENT_MODELS = [
    "knowledge.source",
    "responsibilities.dutycategory",
    "roles.role",
    "roles.roletitle",
    "roles.rolefact",
    "roles.qualification",
    "roles.reportingline",
    "responsibilities.duty",
]


@pytest.fixture(scope="session")
def _kb_fixture_file(tmp_path_factory):
    return tmp_path_factory.mktemp("kb") / "knowledge-base.json"


@pytest.fixture
def kb(db, _kb_fixture_file):
    """The shipped knowledge base. Loaded properly once, then restored from a dump of it (much faster)."""
    if _kb_fixture_file.exists():
        call_command("loaddata", str(_kb_fixture_file), verbosity=0)
        return
    load_knowledge_base()
    call_command("dumpdata", *CONTENT_MODELS, output=str(_kb_fixture_file), verbosity=0)


@pytest.fixture
def seed_id():
    """The database id of a shipped row, by model and seed key (ids differ between databases)."""

    def lookup(model, key):
        return model.objects.get(seed_key=key).pk

    return lookup


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def plain_user(db):
    return User.objects.create_user("reader")


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def plain_client(plain_user):
    client = APIClient()
    client.force_login(plain_user)
    return client


@pytest.fixture
def editor_client(editor):
    """An editor signed in by session; CSRF is enforced as for a browser."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


@pytest.fixture
def token_client(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


@pytest.fixture
def physician(kb):
    return Role.objects.get(slug="physician")
