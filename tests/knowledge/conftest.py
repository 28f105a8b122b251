"""Fixtures for the write-layer tests: staff editors with their own admin sessions, and admin form posts."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms import BaseFormSet
from django.test import Client

from knowledge.seed import load_knowledge_base

PASSWORD = "a-long-staff-editor-passphrase"  # noqa: S105 - test users only


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are created per test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _kb_for_module(django_db_setup, django_db_blocker):
    """The shipped knowledge base, loaded once per module in a transaction rolled back at its end.

    Each test runs in its own savepoint inside it (pytest-django's ``db``), so tests stay isolated.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_knowledge_base()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def kb(_kb_for_module, db):
    """The shipped knowledge base."""


def _staff_client(django_user_model, username: str) -> Client:
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def anna(db, django_user_model):
    """A staff editor in her own admin session."""
    return _staff_client(django_user_model, "anna")


@pytest.fixture
def bjorn(db, django_user_model):
    """A second staff editor, in a second admin session."""
    return _staff_client(django_user_model, "bjorn")


def _field_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = "" if value is None else value
    return data


def _payload(forms, changes: dict) -> dict:
    data = {}
    for form in forms:
        if isinstance(form, BaseFormSet):
            data.update(_field_values(form.management_form))
            for member in form.forms:
                data.update(_field_values(member))
        else:
            data.update(_field_values(form))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def form_payload():
    """``form_payload(*forms, **changes)``: what a browser posts back from these forms and formsets, changed."""
    return lambda *forms, **changes: _payload(forms, changes)


@pytest.fixture
def admin_payload():
    """``admin_payload(response, **changes)``: what a browser posts back from an admin change page, changed."""

    def build(response, **changes) -> dict:
        forms = [response.context["adminform"].form]
        forms += [inline.formset for inline in response.context.get("inline_admin_formsets", [])]
        return _payload(forms, changes)

    return build
