"""Fixtures of the source tests."""

import pytest


@pytest.fixture
def acmo_source(kb):
    from knowledge.models import Source

    return Source.objects.get(slug="associate-chief-medical-officer")
