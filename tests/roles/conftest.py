import pytest

from responsibilities.seed import load_knowledge_base


@pytest.fixture
def kb(db):
    load_knowledge_base()
