"""Fixtures for the production-readiness tests: the real knowledge base and a signed-up editor."""

import pytest
from django.contrib.auth.models import Group, User

from knowledge.seed import load_knowledge_base

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - a test account's password


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Sign-in tests hash dozens of passwords; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kb(db):
    load_knowledge_base()


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
