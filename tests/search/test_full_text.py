"""Full-text search on every database: what is searched, how the indexes follow writes, paging, the thesaurus."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler

from knowledge.services import content_create, content_delete, content_update
from responsibilities.models import Duty, DutyCategory
from roles.models import ReportingLine, Role, RoleFact
from search import sqlite_schema
from search.models import ThesaurusEntry
from search.query import forms_of
from search.search import TARGETS, search_knowledge_base
from search.targets import _compiled_load

from kb_testing import as_loaded, search_queries

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 indexes are SQLite's")


def found(results, kind):
    return [match.obj.pk for group in results.groups for match in group.matches if match.kind == kind]


def test_key_facts_are_found_by_their_text_and_link_to_their_row(kb):
    fact = RoleFact.objects.get(seed_key="fact:acmo.fact.salary")

    results = search_knowledge_base("salary", language="en")

    assert found(results, "fact") == [fact.pk]
    match = next(m for g in results.groups for m in g.matches if m.kind == "fact")
    assert match.url == f"/roles/associate-chief-medical-officer/#fact-{fact.pk}"


def test_the_sources_own_words_find_the_fact_that_cites_them(kb):
    duty = Duty.objects.get(seed_key="duty:acmo.d.conflict-resolution")
    assert found(search_knowledge_base("conflict resolution", language="en"), "duty")[0] == duty.pk

    # "tillitsmannsmøter" is only in the source's words: the excerpt is shown, with its source.
    duty = Duty.objects.get(seed_key="duty:cmo.d.trustee-meetings")
    results = search_knowledge_base("tillitsmannsmøter", language="nb")
    assert found(results, "duty") == [duty.pk]
    match = results.groups[0].duties[0]
    assert "<mark>tillitsmannsmøter</mark>" in match.excerpt_highlighted
    assert match.source == duty.source.title


def test_reporting_line_notes_are_found_in_both_languages(kb):
    line = ReportingLine.objects.get(seed_key="line:acmo-reports-to-cmo")

    assert found(search_knowledge_base("right hand", language="en"), "line") == [line.pk]
    assert line.pk in found(search_knowledge_base("stedfortredere", language="nb"), "line")


def test_duty_categories_are_found_by_name(kb):
    results = search_knowledge_base("pasientsikkerhet", language="nb")

    assert [category.slug for category, _rank in results.categories] == ["quality-safety"]


def test_word_forms_and_stems_match_on_every_database(kb):
    budget = {Duty.objects.get(seed_key=f"duty:{key}.d.budget").pk for key in ("cmo", "acmo")}

    assert set(found(search_knowledge_base("budgets", language="en"), "duty")) >= budget
    assert set(found(search_knowledge_base("budsjett", language="nb"), "duty")) >= budget


def test_a_stem_stands_for_its_own_forms_not_for_every_word_it_begins():
    words = ["diagnos", "diagnoser", "diagnoses", "diagnostics", "diagnostikk"]

    assert forms_of("diagnos", words, 5) == ["diagnos", "diagnoser", "diagnoses"]
    assert forms_of("diagnos", words, 2) == ["diagnos", "diagnoser"]


def test_a_stem_finds_the_forms_of_the_word_and_not_other_families(kb, editor):
    duty = Duty.objects.get(seed_key="duty:cmo.d.budget")
    data = {"description_en": "Reads the diagnostics reports"}
    content_update(instance=duty, data=data, user=editor, expected_version=duty.version)

    # "diagnoses" has the stem "diagnos", which begins "diagnostics" too: another word, not searched for.
    results = search_knowledge_base("diagnoses", language="en")

    assert duty.pk not in found(results, "duty")
    assert "diagnostics" not in results.marked


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_table_scans_start_at_the_beginning_so_the_ranked_matches_are_the_same_each_time(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone() == ("off",)


def test_typos_find_their_word_on_every_database(kb):
    results = search_knowledge_base("chif medcal", language="en")

    assert results.corrections == {"chif": "chief", "medcal": "medical"}
    assert {group.role.slug for group in results.groups[:2]} == {
        "chief-medical-officer",
        "associate-chief-medical-officer",
    }


def test_questions_drop_their_question_words(kb):
    results = search_knowledge_base("who manages the budget", language="en")

    assert {group.duties[0].obj.seed_key for group in results.groups} == {"duty:cmo.d.budget", "duty:acmo.d.budget"}


def test_nothing_found_is_nothing(kb):
    results = search_knowledge_base("astronaut", language="en")

    assert (results.groups, results.categories, results.total) == ([], [], 0)


# --- The thesaurus ------------------------------------------------------------------------------


def test_the_thesaurus_expands_a_query_and_says_so(kb):
    results = search_knowledge_base("compensation", language="en")

    assert "salary" in results.synonyms
    assert RoleFact.objects.get(seed_key="fact:acmo.fact.salary").pk in found(results, "fact")


def test_an_entry_editors_add_through_the_write_layer_is_used_at_once(kb, editor):
    assert search_knowledge_base("maestro", language="en").groups == []

    entry = content_create(model=ThesaurusEntry, data={"terms": "maestro, conductor"}, user=editor)

    results = search_knowledge_base("maestro", language="en")
    assert found(results, "duty") == [Duty.objects.get(seed_key="duty:cmo.d.vision-strategy").pk]
    content_delete(instance=entry, user=editor, expected_version=entry.version)
    assert search_knowledge_base("maestro", language="en").groups == []


@pytest.mark.parametrize("terms", ["alone", "a, ,", ", ".join(f"w{i}" for i in range(13))])
def test_an_entry_needs_two_to_twelve_terms(terms):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ThesaurusEntry(terms=terms).full_clean()


# --- Counts and paging ------------------------------------------------------------------------


def test_totals_count_every_match_and_a_kind_pages_through_them(kb):
    everything = search_knowledge_base("lege", language="nb", limit=3)
    total = everything.totals["duty"]
    assert total > 6 and everything.more("duty")

    pages = [search_knowledge_base("lege", language="nb", limit=3, kind="duty", page=page) for page in (1, 2, 3)]

    ids = [pk for page in pages for pk in found(page, "duty")]
    assert len(ids) == len(set(ids)) == 9
    assert all(page.totals == {"duty": total} for page in pages)
    assert pages[0].returned["duty"] == 3 and pages[0].more("duty")


def test_a_page_past_the_last_still_counts_every_match(kb):
    total = search_knowledge_base("lege", language="nb", limit=3, kind="duty").totals["duty"]
    past = search_knowledge_base("lege", language="nb", limit=3, kind="duty", page=total // 3 + 2)

    assert past.totals == {"duty": total} and past.returned["duty"] == 0
    assert past.past_the_last_page
    last = search_knowledge_base("lege", language="nb", limit=3, kind="duty", page=(total + 2) // 3)
    assert last.returned["duty"] and not last.past_the_last_page


def test_the_query_count_is_fixed_whatever_the_query(kb, django_assert_num_queries):
    for query in ("pay grades", "lege", "who manages the budget", "medisinsk sjef", "chif medcal", "xyzzy"):
        with django_assert_num_queries(search_queries()):
            search_knowledge_base(query, language="en")


def test_the_rows_each_kind_loads_from_are_built_once_and_never_read_themselves(kb, editor):
    """Each kind's base queryset is kept per process; a search reads clones of it, so an edit shows at once."""
    duty = Duty.objects.get(seed_key="duty:acmo.d.conflict-resolution")
    search_knowledge_base("conflict resolution", language="nb")
    bases = [target.rows for target in TARGETS]

    content_update(
        instance=duty, data={"title_en": "Resolve zygomatic conflicts"}, user=editor, expected_version=duty.version
    )
    results = search_knowledge_base("zygomatic", language="en")

    assert all(target.rows is base for target, base in zip(TARGETS, bases, strict=True))
    assert all(base._result_cache is None for base in bases)
    assert [m.text for g in results.groups for m in g.duties] == ["Resolve zygomatic conflicts"]


def test_each_kind_loads_its_rows_as_the_orm_does_from_sql_compiled_once(kb, django_assert_num_queries):
    """Target.load builds from SQL compiled once the rows in_bulk builds: fields, deferred fields, related rows."""
    for target in TARGETS:
        keys = list(target.model._default_manager.order_by("-pk").values_list("pk", flat=True)[:7])
        expected = target.rows.in_bulk(keys)
        scored = [(pk, float(rank)) for rank, pk in enumerate([*keys, 0])]  # 0: a row deleted since it was ranked

        with django_assert_num_queries(1):
            loaded = target.load(scored)

        assert [(row.pk, rank) for row, rank in loaded] == scored[:-1]
        assert [as_loaded(row) for row, _rank in loaded] == [as_loaded(expected[pk]) for pk in keys]


def test_a_kinds_load_is_compiled_once_per_number_of_rows(kb, monkeypatch):
    compiled, as_sql = [], SQLCompiler.as_sql

    def compiling(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", compiling)
    _compiled_load.cache_clear()
    search_knowledge_base("budget", language="en")
    first, compiled[:] = set(compiled), []
    search_knowledge_base("budget", language="en")

    kinds = {target.model for target in TARGETS}
    assert first >= kinds
    assert not kinds & set(compiled)


# --- SQLite: the indexes follow every write ---------------------------------------------------


@on_sqlite
def test_every_write_keeps_the_sqlite_index_current(kb, editor):
    role = Role.objects.get(slug="physician")
    category = DutyCategory.objects.first()
    bulk = Duty(
        role=role, category=category, title_en="Chair the zygomatic board", title_nb="Lede rådet", editorial=True
    )
    Duty.objects.bulk_create([bulk])
    duty = Duty.objects.get(title_en="Chair the zygomatic board")
    assert found(search_knowledge_base("zygomatic", language="en"), "duty") == [duty.pk]
    assert search_knowledge_base("zygomatc", language="en").corrections == {"zygomatc": "zygomatic"}

    duty = content_update(
        instance=duty, data={"title_en": "Keep the quokka register"}, user=editor, expected_version=duty.version
    )
    assert found(search_knowledge_base("zygomatic", language="en"), "duty") == []
    assert found(search_knowledge_base("quokka", language="en"), "duty") == [duty.pk]

    Duty.objects.filter(pk=duty.pk).update(title_en="Keep the wombat register")  # a plain UPDATE too
    assert found(search_knowledge_base("wombat", language="en"), "duty") == [duty.pk]

    content_delete(instance=Duty.objects.get(pk=duty.pk), user=editor, expected_version=duty.version)
    assert found(search_knowledge_base("wombat", language="en"), "duty") == []


@on_sqlite
def test_triggers_a_schema_change_dropped_are_put_back_and_the_index_refilled(kb):
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "search_fts_roles_rolefact_insert"')
    RoleFact.objects.create(
        role=Role.objects.get(slug="physician"), kind="overview", text_en="Plays the oboe", editorial=True
    )
    assert search_knowledge_base("oboe", language="en").groups == []

    sqlite_schema.ensure(connection)

    assert len(found(search_knowledge_base("oboe", language="en"), "fact")) == 1


@on_sqlite
def test_sqlite_uses_fts5_with_diacritics_removed(kb):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts_responsibilities_duty'")
        (sql,) = cursor.fetchone()
    assert "fts5" in sql and "unicode61 remove_diacritics 2" in sql
    # "komite" finds "komitéledere": é and e are one letter to the index.
    assert found(search_knowledge_base("komiteledere", language="nb"), "duty") == [
        Duty.objects.get(seed_key="duty:cmo.d.committee-chairs").pk
    ]
