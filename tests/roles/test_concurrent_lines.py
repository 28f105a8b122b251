"""Two editors writing at the same moment still cannot close a reporting cycle (PostgreSQL).

Each transaction checks the solid lines before it inserts its own; without a lock, A→B and B→A
written at once would each see no cycle. The check is slowed down here so that, unlocked, the
two would overlap every time.
"""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from knowledge import rules, services
from roles.models import ReportingLine, Role

from kb_testing import run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two PostgreSQL connections at once"),
    pytest.mark.django_db(transaction=True),
]


def role(slug):
    return services.content_create(
        model=Role,
        data={"slug": slug, "title_en": slug, "title_nb": slug, "level": "senior_leader", "editorial": True},
        user=None,
    )


def solid_line(subordinate, superior):
    def write():
        return services.content_create(
            model=ReportingLine,
            data={"subordinate": subordinate, "superior": superior, "kind": "reports_to", "editorial": True},
            user=None,
        )

    return write


def lines_between(*roles) -> int:
    return ReportingLine.objects.filter(subordinate__in=roles, superior__in=roles).count()


@pytest.fixture
def slow_cycle_check(monkeypatch):
    find_cycle = rules.find_cycle

    def slow(*args, **kwargs):
        found = find_cycle(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(rules, "find_cycle", slow)


def test_a_to_b_and_b_to_a_at_once_store_one_line_and_refuse_the_other(slow_cycle_check):
    a, b = role("head-a"), role("head-b")

    results = run_together(solid_line(a, b), solid_line(b, a))

    assert sorted(type(result).__name__ for result in results) == ["ReportingLine", "ValidationError"]
    refused = next(result for result in results if isinstance(result, ValidationError))
    assert "reporting cycle" in " ".join(refused.messages)
    assert lines_between(a, b) == 1


def test_a_three_role_cycle_closed_from_two_sides_at_once_is_refused(slow_cycle_check):
    a, b, c = role("head-a"), role("head-b"), role("head-c")
    solid_line(a, b)()

    results = run_together(solid_line(b, c), solid_line(c, a))

    assert [isinstance(result, ValidationError) for result in results].count(True) == 1
    assert lines_between(a, b, c) == 2


def test_lines_of_other_kinds_do_not_wait_for_each_other(slow_cycle_check):
    a, b = role("head-a"), role("head-b")

    def dotted(subordinate, superior):
        return lambda: services.content_create(
            model=ReportingLine,
            data={"subordinate": subordinate, "superior": superior, "kind": "dotted", "editorial": True},
            user=None,
        )

    results = run_together(dotted(a, b), dotted(b, a))

    assert all(isinstance(result, ReportingLine) for result in results)
