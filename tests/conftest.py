"""Fixtures shared by the whole test suite.

pytest-django reads DJANGO_SETTINGS_MODULE from pyproject.toml; the database is
whatever DATABASE_URL names (SQLite by default, PostgreSQL in CI's second run).
"""

import pytest
from django.contrib.auth.models import Group

from responsibilities.seed import load_knowledge_base


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
def editor_client(client, editor):
    client.force_login(editor)
    return client
