"""Fixtures for the write-layer tests: staff editors with their own admin sessions, and admin form posts."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from kb_testing import PASSWORD, form_payload as build_payload


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


@pytest.fixture
def form_payload():
    """``form_payload(*forms, **changes)``: what a browser posts back from these forms and formsets, changed."""
    return build_payload


@pytest.fixture
def admin_payload():
    """``admin_payload(response, **changes)``: what a browser posts back from an admin change page, changed."""

    def build(response, **changes) -> dict:
        forms = [response.context["adminform"].form]
        forms += [inline.formset for inline in response.context.get("inline_admin_formsets", [])]
        return build_payload(*forms, **changes)

    return build
