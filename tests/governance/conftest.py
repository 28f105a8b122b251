"""Governance tests run with review required (the product's default), with approvers beside the editor."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from kb_testing import PASSWORD


@pytest.fixture(autouse=True)
def _review_required(settings, _review_not_required):
    settings.KB_REVIEW_REQUIRED = True


def _user(django_user_model, name, *groups, **extra):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD, **extra)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def approver(django_user_model):
    return _user(django_user_model, "approver", "Approvers", first_name="Ada", last_name="Approver")


@pytest.fixture
def approver_client(approver):
    client = Client()
    client.force_login(approver)
    return client


@pytest.fixture
def editing_approver(django_user_model):
    """In both groups: may draft and approve, but not their own draft."""
    return _user(django_user_model, "both", "Editors", "Approvers")


@pytest.fixture
def superuser(django_user_model):
    return _user(django_user_model, "root", "Editors", is_superuser=True, is_staff=True)
