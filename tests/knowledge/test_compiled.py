"""knowledge.compiled: a queryset's SQL compiled once, read again with other values; the same rows as the queryset's."""

import pytest
from django.db.models import Count

from knowledge import timestamps
from knowledge.compiled import CompiledQuery
from roles.models import RoleFact, RoleTitle

from kb_testing import as_loaded


def test_reads_with_other_values_give_the_querysets_rows(kb, django_assert_num_queries):
    def titles(language, kind):
        return RoleTitle.objects.select_related("role", "source").filter(language=language, kind=kind).order_by("pk")

    compiled = CompiledQuery(titles("\0language", "\0kind"), "\0language", "\0kind")
    for language, kind in RoleTitle.objects.values_list("language", "kind").distinct():
        expected = [as_loaded(row) for row in titles(language, kind)]
        with django_assert_num_queries(1):
            rows = compiled.rows(language, kind)
        assert [as_loaded(row) for row in rows] == expected
        assert expected


def test_annotations_and_their_converters_come_through(kb):
    queryset = timestamps.annotate(RoleFact.objects.annotate(sources=Count("source"))).filter(role__slug="\0slug")
    compiled = CompiledQuery(queryset.order_by("pk"), "\0slug")

    rows = compiled.rows("chief-medical-officer")

    expected = timestamps.annotate(RoleFact.objects.annotate(sources=Count("source")))
    expected = expected.filter(role__slug="chief-medical-officer").order_by("pk")
    assert [as_loaded(row) for row in rows] == [as_loaded(row) for row in expected]
    assert rows and all(row.updated_at.tzinfo is not None and row.sources in (0, 1) for row in rows)


def test_the_sql_is_compiled_once_per_database(kb):
    compiled = CompiledQuery(RoleTitle.objects.filter(pk=-1), -1)
    compiled.rows(1)
    statement = compiled._statements["default"]

    compiled.rows(2, using="default")

    assert compiled._statements == {"default": statement}


def test_a_placeholder_must_be_one_parameter_exactly(kb):
    missing = CompiledQuery(RoleTitle.objects.filter(pk=1), -1)
    twice = CompiledQuery(RoleTitle.objects.filter(pk=-1, role_id=-1), -1)

    with pytest.raises(ValueError, match="0 of the query's parameters"):
        missing.rows(1)
    with pytest.raises(ValueError, match="2 of the query's parameters"):
        twice.rows(1)
    with pytest.raises(TypeError, match="1 values expected, 2 given"):
        CompiledQuery(RoleTitle.objects.filter(pk=-1), -1).rows(1, 2)


def test_only_model_rows_without_prefetching_can_be_compiled(kb):
    for queryset in (RoleTitle.objects.values("title"), RoleTitle.objects.prefetch_related("role__titles")):
        with pytest.raises(ValueError, match="only a queryset of model rows"):
            CompiledQuery(queryset.filter(pk=-1), -1)
