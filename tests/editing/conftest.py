"""Fixtures for the editing tests: the shipped knowledge base and users with different rights."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.utils import translation

from editing.helpers import PASSWORD
from knowledge.seed import load_knowledge_base
from responsibilities.models import Duty
from roles.models import Role


@pytest.fixture(scope="module")
def _kb_for_module(django_db_setup, django_db_blocker):
    """Load the knowledge base once per test module, in a transaction rolled back when the module ends.

    Each test still runs in its own savepoint inside it (pytest-django's ``db``), so tests stay isolated
    while the seed (a few seconds on a busy machine) is loaded once instead of once per test.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_knowledge_base()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def kb(_kb_for_module, db):
    """The shipped knowledge base."""


@pytest.fixture
def editor(db):
    user = User.objects.create_user("erika.editor", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reader(db):
    """Signed in, but not an editor."""
    return User.objects.create_user("rolf.reader", password=PASSWORD)


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def cmo(kb):
    return Role.objects.get(slug="chief-medical-officer")


@pytest.fixture
def duty(kb):
    """A cited duty of the chief medical officer, the first of its category."""
    return Duty.objects.filter(role__slug="chief-medical-officer").order_by("category__position", "position").first()


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request under /nb/ leaves Norwegian active in the test thread; start every test in English so
    ``reverse()`` builds unprefixed URLs."""
    with translation.override("en"):
        yield
