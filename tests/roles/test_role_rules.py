"""A role's rules: reporting lines (no self-lines, no solid cycles) and the database's constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from knowledge import rules
from roles.models import ReportingLine, Role, RoleTitle


def make_role(slug, **extra):
    return Role.objects.create(
        slug=slug, title_en=slug.title(), title_nb=slug.title(), level="executive", editorial=True, **extra
    )


def test_database_refuses_a_self_line(db):
    cmo = make_role("cmo")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingLine.objects.create(subordinate=cmo, superior=cmo, editorial=True)


def test_self_line_is_refused_by_validation(db):
    cmo = make_role("cmo")
    line = ReportingLine(subordinate=cmo, superior=cmo, kind="dotted", editorial=True)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict["superior"] == ["A role cannot report to itself."]


def test_solid_line_closing_a_cycle_is_refused_and_names_the_cycle(db):
    a, b, c = make_role("alpha"), make_role("beta"), make_role("gamma")
    ReportingLine.objects.create(subordinate=b, superior=a, editorial=True)
    ReportingLine.objects.create(subordinate=c, superior=b, editorial=True)
    line = ReportingLine(subordinate=a, superior=c, kind="reports_to", editorial=True)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict["superior"] == [
        "This line would close a reporting cycle: Alpha → Gamma → Beta → Alpha."
    ]


def test_non_solid_lines_may_point_back_up(db):
    a, b = make_role("alpha"), make_role("beta")
    ReportingLine.objects.create(subordinate=b, superior=a, editorial=True)
    ReportingLine(subordinate=a, superior=b, kind="liaison", editorial=True).full_clean()


def test_editing_an_existing_line_does_not_count_itself_as_a_cycle(db):
    a, b = make_role("alpha"), make_role("beta")
    line = ReportingLine.objects.create(subordinate=b, superior=a, editorial=True)
    line.note_en = "Changed"
    line.full_clean()


def test_find_cycle_returns_none_for_a_tree():
    edges = [(2, 1), (3, 1), (4, 2)]
    assert rules.find_cycle(edges, subordinate=5, superior=4) is None
    assert rules.find_cycle(edges, subordinate=1, superior=4) == [1, 4, 2, 1]


def test_only_one_preferred_title_per_language(db):
    role = make_role("cmo")
    RoleTitle.objects.create(role=role, language="en", kind="preferred", title="Chief", editorial=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleTitle.objects.create(role=role, language="en", kind="preferred", title="Boss", editorial=True)


def test_slugs_are_unique(db):
    make_role("cmo")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_role("cmo")


def test_invalid_choice_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(slug="x", title_en="X", level="emperor", editorial=True)


def test_every_save_bumps_the_version(db):
    role = make_role("cmo")
    assert role.version == 1
    role.summary_en = "New"
    role.save()
    role.refresh_from_db()
    assert role.version == 2


def test_occupation_codes_are_validated(db):
    role = Role(slug="x", title_en="X", level="executive", editorial=True, occupation_codes="12,abc")
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "occupation_codes" in error.value.message_dict
