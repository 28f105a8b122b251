"""The role sheet's read (role page, API role detail, PDF): the role Django's prefetch would give, in seven queries."""

import pytest
from django.db.models import Prefetch
from django.http import Http404

from descriptions.sheet import relations, role_with_everything, roles
from knowledge.services import content_update
from responsibilities.models import Duty
from roles.models import Role

from kb_testing import as_loaded


def prefetched(slug: str, *, with_timestamps: bool = False) -> Role:
    """The same role read the ORM's own way: one queryset, every relation prefetched."""
    queryset = roles(with_timestamps=with_timestamps)
    return queryset.prefetch_related(*(Prefetch(name, rows) for name, rows in relations().items())).get(slug=slug)


@pytest.mark.parametrize("with_timestamps", [False, True])
def test_every_role_reads_as_the_orm_reads_it_with_every_relation_prefetched(kb, with_timestamps):
    for slug in Role.objects.values_list("slug", flat=True):
        expected = prefetched(slug, with_timestamps=with_timestamps)
        role = role_with_everything(slug, with_timestamps=with_timestamps)

        assert as_loaded(role) == as_loaded(expected)
        for name in relations():
            rows, expected_rows = list(getattr(role, name).all()), list(getattr(expected, name).all())
            assert [as_loaded(row) for row in rows] == [as_loaded(row) for row in expected_rows], name
    assert role_with_everything("chief-medical-officer").duties.all(), "the seed's CMO has duties"


def test_seven_queries_and_none_to_read_the_relations_and_their_rows_role(kb, django_assert_num_queries):
    with django_assert_num_queries(7):
        role = role_with_everything("associate-chief-medical-officer")

    with django_assert_num_queries(0):
        assert all(duty.role is role and duty.category.name for duty in role.duties.all())
        assert all(line.subordinate is role and line.superior.title for line in role.lines_up.all())
        assert role.lines_down.count() == len(role.lines_down.all())
        assert role.titles.exists() and role.facts.all() and role.qualifications.all()


def test_a_further_filter_of_a_relation_reads_the_roles_own_rows(kb, django_assert_num_queries):
    role = role_with_everything("chief-medical-officer")

    with django_assert_num_queries(1):
        filtered = list(role.duties.filter(editorial=False))

    assert filtered == list(Duty.objects.filter(role=role, editorial=False).order_by("category__position", "position"))


def test_an_unknown_role_is_404(kb):
    with pytest.raises(Http404):
        role_with_everything("no-such-role")


def test_the_next_read_shows_an_edit(kb, editor):
    duty = Duty.objects.filter(role__slug="physician").first()
    role_with_everything("physician")

    content_update(instance=duty, data={"title_en": "See the quokka"}, user=editor, expected_version=duty.version)

    titles = [row.title_en for row in role_with_everything("physician").duties.all()]
    assert "See the quokka" in titles
