import pytest
from django.core.cache import cache

from knowledge.seed import load_knowledge_base


@pytest.fixture(autouse=True)
def response_cache_on(settings, response_cache_off):
    """These tests run with the whole-response cache on, and start from an empty one."""
    settings.KB_RESPONSE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kb(db):
    load_knowledge_base()


@pytest.fixture
def uncached(settings):
    """Measure the real work: every request goes to the view."""
    settings.KB_RESPONSE_CACHE = False
