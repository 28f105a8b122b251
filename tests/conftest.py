"""Fixtures shared by the whole test suite.

pytest-django reads DJANGO_SETTINGS_MODULE from pyproject.toml; the database is
whatever DATABASE_URL names (SQLite by default, PostgreSQL in CI's second run).
"""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from knowledge.seed import load_knowledge_base


@pytest.fixture
def kb(db):
    """The shipped knowledge base, loaded as `make run` loads it."""
    return load_knowledge_base()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("edith", password="a-long-editor-passphrase")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reader(django_user_model):
    """Signed in, but without any editing rights."""
    return django_user_model.objects.create_user("ray", password="a-long-reader-passphrase")


@pytest.fixture
def editor_client(editor):
    """Its own client, so a test can also use ``client`` as an anonymous visitor."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request to a /nb/ page leaves Norwegian active in the thread."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def response_cache_off(settings):
    """Tests see every request reach its view (so query counts measure the view's own work).

    The whole-response cache is tested with it switched on, in tests/perf/.
    """
    settings.KB_RESPONSE_CACHE = False


@pytest.fixture(autouse=True)
def _clear_cache():
    """API throttles count requests in the cache: every test starts from zero."""
    cache.clear()
    yield
