"""Citations: an excerpt must occur in its source; a fact without a source must be marked editorial."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from knowledge import rules
from knowledge.models import Source
from roles.models import Role


@pytest.fixture
def source(db):
    return Source.objects.create(
        slug="doc", title="Doc", language="en", text="The CMO sets the\n  overall   strategy. It’s a big job."
    )


def test_excerpt_matches_ignoring_whitespace_and_quote_style():
    text = "The CMO sets the\n  overall   strategy. It’s a big job."
    assert rules.excerpt_occurs_in("sets the overall strategy", text)
    assert rules.excerpt_occurs_in("It's a big job.", text)
    assert rules.excerpt_occurs_in("The CMO … a big job", text)


def test_excerpt_not_in_source_is_refused():
    text = "The CMO sets the overall strategy."
    assert not rules.excerpt_occurs_in("The CMO sets the budget", text)
    assert not rules.excerpt_occurs_in("The CMO … the budget", text)
    assert not rules.excerpt_occurs_in("   ", text)


def test_role_with_invented_excerpt_fails_validation(source):
    role = Role(slug="x", title_en="X", level="executive", source=source, excerpt="The CMO sets pay")
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "excerpt" in error.value.message_dict


def test_uncited_fact_must_be_marked_editorial(db):
    role = Role(slug="x", title_en="X", title_nb="X", level="executive")
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "editorial" in error.value.message_dict
    role.editorial = True
    role.full_clean()


def test_database_refuses_an_uncited_non_editorial_row(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(slug="x", title_en="X", level="executive", editorial=False)
