import pytest

from responsibilities.seed import load_knowledge_base


@pytest.fixture
def kb(db):
    """The shipped knowledge base, loaded into the test database."""
    load_knowledge_base()
