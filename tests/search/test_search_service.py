"""The search service: what it finds, how it groups and highlights, and what it costs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.seed import load_knowledge_base
from responsibilities.models import Duty, DutyCategory
from roles.models import Role
from search import fulltext, sqlite_fulltext
from search.query import units
from search.search import (
    MAX_QUERY_LENGTH,
    TARGETS,
    SearchQueryError,
    clean_query,
    highlight,
    search_knowledge_base,
    search_terms,
)

from kb_testing import search_queries

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="reads PostgreSQL's plans or locks (run with DATABASE_URL=postgres://…)"
)


def slugs(results):
    return [group.role.slug for group in results.groups]


def texts(results, kind):
    return [match.text for group in results.groups for match in group.matches if match.kind == kind]


# --- Bad queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t"])
def test_blank_query_is_refused_with_a_reason(raw):
    with pytest.raises(SearchQueryError) as error:
        clean_query(raw)

    assert error.value.code == "blank"
    assert "Type a word" in error.value.message


def test_overlong_query_is_refused_with_the_limit():
    with pytest.raises(SearchQueryError) as error:
        clean_query("a" * (MAX_QUERY_LENGTH + 1))

    assert error.value.code == "too_long"
    assert str(MAX_QUERY_LENGTH) in error.value.message


def test_query_of_exactly_the_limit_is_accepted():
    assert clean_query("a" * MAX_QUERY_LENGTH) == "a" * MAX_QUERY_LENGTH


def test_query_without_letters_or_digits_is_refused():
    with pytest.raises(SearchQueryError) as error:
        clean_query("?! -- ***")

    assert error.value.code == "no_words"


def test_whitespace_is_collapsed_and_terms_are_distinct_lowercase_words():
    assert clean_query("  Chief   Medical\tofficer ") == "Chief Medical officer"
    assert search_terms("CMO cmo Budsjett, budget!") == ["cmo", "budsjett", "budget"]


# --- Finding things, on every database --------------------------------------------------------


def test_role_is_found_by_its_english_title(kb):
    results = search_knowledge_base("Medical Director", language="en")

    assert slugs(results)[0] == "medical-director"
    assert results.groups[0].names[0].highlighted == "<mark>Medical</mark> <mark>Director</mark>"


def test_role_is_found_by_a_norwegian_synonym_from_an_english_page(kb):
    results = search_knowledge_base("medisinsk offiser", language="en")

    assert slugs(results)[0] == "chief-medical-officer"
    names = results.groups[0].names
    assert ("medisinsk offiser", "nb") in [(match.text, match.language) for match in names]


def test_role_is_found_by_its_abbreviation(kb):
    results = search_knowledge_base("ACMO", language="en")

    assert slugs(results)[0] == "associate-chief-medical-officer"
    assert "ACMO" in [match.text for match in results.groups[0].names]


def test_duties_are_found_by_english_text(kb):
    results = search_knowledge_base("budget", language="en")

    assert set(slugs(results)) == {"chief-medical-officer", "associate-chief-medical-officer"}
    # The two budget duties, and the pay grades whose source says "økonomi" (the thesaurus's "budget").
    assert set(texts(results, "duty")) == {
        "Help manage the budget",
        "Manage the budget for assigned departments or programmes",
        "Set pay grades for staff",
    }
    assert {group.duties[0].text for group in results.groups} == {
        "Help manage the budget",
        "Manage the budget for assigned departments or programmes",
    }


def test_duties_are_found_by_norwegian_text_and_shown_in_norwegian(kb):
    results = search_knowledge_base("bindeleddet", language="en")

    duties = [match for group in results.groups for match in group.duties]
    assert [(match.text, match.language) for match in duties] == [
        ("Være bindeleddet mellom legene og sykehusledelsen", "nb")
    ]
    assert all("<mark>bindeleddet</mark>" in match.highlighted for match in duties)


def test_match_is_shown_in_the_readers_language_when_it_matches_there(kb):
    results = search_knowledge_base("CMO", language="nb")

    medical_director = next(group for group in results.groups if group.role.slug == "medical-director")
    assert medical_director.title == "Medisinsk direktør"
    # The Norwegian text says "medisinsk sjef", which the thesaurus knows is the CMO: shown in Norwegian.
    assert [(m.text, m.language) for m in medical_director.duties] == [
        ("Møte medisinsk sjef ofte for å sikre at alle prosedyrer følges i avdelingen", "nb")
    ]


def test_qualifications_are_found_with_their_requirement_and_kind(kb):
    results = search_knowledge_base("licence", language="en")

    physician = next(group for group in results.groups if group.role.slug == "physician")
    assert [(m.text, m.label) for m in physician.qualifications] == [
        ("A licence (authorisation) to practise medicine.", "Required · Licence")
    ]


def test_every_word_must_match(kb):
    assert texts(search_knowledge_base("pay grades", language="en"), "duty") == ["Set pay grades for staff"]
    assert search_knowledge_base("pay zebra", language="en").groups == []


def test_results_are_grouped_by_role_with_the_named_role_first(kb):
    results = search_knowledge_base("physician", language="en")

    assert slugs(results)[0] == "physician"
    assert len(slugs(results)) == len(set(slugs(results)))
    cmo = next(group for group in results.groups if group.role.slug == "chief-medical-officer")
    assert "Oversee all physicians" in [match.text for match in cmo.duties]


def test_nothing_found_gives_empty_groups_and_zero_count(kb):
    results = search_knowledge_base("xylophone", language="en")

    assert results.groups == []
    assert results.count == 0
    assert results.truncated is False


def test_limit_caps_each_kind_and_says_so(kb):
    everything = search_knowledge_base("physician", language="en")
    capped = search_knowledge_base("physician", language="en", limit=2)

    assert len(texts(everything, "duty")) > 2
    assert len(texts(capped, "duty")) == 2
    assert capped.truncated is True
    assert everything.truncated is False


def test_unknown_language_falls_back_to_english(kb):
    results = search_knowledge_base("lege", language="de")

    assert results.language == "en"
    assert results.groups[0].title == "Physician"


def test_backend_is_full_text_on_every_database(kb):
    results = search_knowledge_base("budget", language="en")

    assert (results.backend, results.database) == ("full-text", connection.vendor)


# --- Safety ---------------------------------------------------------------------------------


def test_highlight_escapes_before_marking():
    assert highlight('<b onclick="x()">budget</b> & pay', ["budget"]) == (
        "&lt;b onclick=&quot;x()&quot;&gt;<mark>budget</mark>&lt;/b&gt; &amp; pay"
    )


def test_highlight_marks_word_forms_and_corrections():
    assert highlight("Gi legene veiledning", ["lege"]) == "Gi <mark>legene</mark> veiledning"
    assert highlight("Lege", ["legen"]) == "<mark>Lege</mark>"
    # A misspelt term is marked through its correction, which the search adds to the terms.
    assert highlight("Chief Medical Officer", ["chif", "medcal", "chief", "medical"]) == (
        "<mark>Chief</mark> <mark>Medical</mark> Officer"
    )
    assert highlight("Medisinsk direktør", ["medical"]) == "Medisinsk direktør"


def test_markup_stored_in_content_is_escaped_in_results(kb):
    role = Role.objects.get(slug="physician")
    Duty.objects.create(
        role=role,
        category=DutyCategory.objects.get(slug="clinical"),
        title_en="<script>alert('duty')</script> triage rounds",
        title_nb="<img src=x onerror=alert(1)> triage",
        editorial=True,
    )

    results = search_knowledge_base("triage", language="en")

    [match] = results.groups[0].duties
    assert "<script>" not in match.highlighted
    assert match.highlighted == "&lt;script&gt;alert(&#x27;duty&#x27;)&lt;/script&gt; <mark>triage</mark> rounds"


def test_markup_in_the_query_is_only_searched_for(kb):
    results = search_knowledge_base("<script>alert(1)</script>", language="en")

    assert results.query == "<script>alert(1)</script>"
    assert results.groups == []


# --- Cost -----------------------------------------------------------------------------------


def test_query_count_is_the_same_for_small_and_large_result_sets(kb, django_assert_num_queries):
    with django_assert_num_queries(search_queries()):
        search_knowledge_base("pay grades", language="en")
    with django_assert_num_queries(search_queries()):
        results = search_knowledge_base("physician", language="nb")
        # Reading what the page shows costs nothing more.
        [(m.highlighted, m.label, group.title) for group in results.groups for m in group.matches]
    assert results.count > 10


# --- PostgreSQL: word forms, typos, ranking, indexes ------------------------------------------


@postgres_only
def test_typos_still_find_the_role(kb):
    results = search_knowledge_base("chif medcal", language="en")

    assert slugs(results)[0] == "chief-medical-officer"
    assert results.groups[0].names[0].highlighted == "<mark>Chief</mark> <mark>Medical</mark> Officer"


@postgres_only
def test_a_typo_in_a_synonym_finds_the_role(kb):
    assert slugs(search_knowledge_base("docter", language="en")) == ["physician"]


@postgres_only
def test_norwegian_word_form_finds_the_physician_first(kb):
    results = search_knowledge_base("legen", language="en")

    assert slugs(results)[0] == "physician"
    assert "lege" in [name.text.casefold() for name in results.groups[0].names]


@postgres_only
def test_norwegian_stem_finds_budget_duties(kb):
    results = search_knowledge_base("budsjett", language="nb")

    # The pay grades come too: their source says "økonomi", the thesaurus's word for the budget.
    assert set(texts(results, "duty")) == {
        "Bidra til å styre budsjettet",
        "Styre budsjettet for tildelte avdelinger eller programmer",
        "Fastsette lønnstrinn for de ansatte",
    }


@postgres_only
def test_english_stemming_matches_plurals(kb):
    results = search_knowledge_base("budgets", language="en")

    assert "Help manage the budget" in texts(results, "duty")


@postgres_only
def test_exact_name_ranks_its_role_first(kb):
    assert slugs(search_knowledge_base("medisinsk sjef", language="nb"))[0] == "chief-medical-officer"
    assert slugs(search_knowledge_base("assisterende medisinsk sjef", language="nb"))[0] == (
        "associate-chief-medical-officer"
    )


@postgres_only
def test_duties_within_a_role_are_ranked(kb):
    results = search_knowledge_base("budget", language="en")

    for group in results.groups:
        ranks = [match.rank for match in group.duties]
        assert ranks == sorted(ranks, reverse=True)
        assert all(rank > 0 for rank in ranks)


@postgres_only
def test_search_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_fts_%%' OR indexname LIKE '%%_trgm%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)

    assert names == {
        "roles_rolefact_fts_en",
        "roles_rolefact_fts_nb",
        "roles_reportingline_fts_en",
        "roles_reportingline_fts_nb",
        "responsibilities_dutycategory_fts_en",
        "responsibilities_dutycategory_fts_nb",
        "roles_role_fts_en",
        "roles_role_fts_nb",
        "roles_roletitle_fts_en",
        "roles_roletitle_fts_nb",
        "responsibilities_duty_fts_en",
        "responsibilities_duty_fts_nb",
        "roles_qualification_fts_en",
        "roles_qualification_fts_nb",
        "search_word_trgm_gist",
    }


@postgres_only
def test_full_text_indexes_keep_no_pending_list(db):
    """New entries go straight into the GIN indexes: no search ever scans a pending list linearly."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%%_fts_%%' AND relkind = 'i' ORDER BY 1"
        )
        options = dict(cursor.fetchall())

    assert len(options) == 14
    assert all(value == ["fastupdate=off"] for value in options.values())


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgres_only
@pytest.mark.parametrize("kind", ["role", "title", "duty", "qualification"])
def test_each_kind_is_matched_and_ranked_through_its_stored_documents_and_gin_indexes(kb, kind):
    """The documents are read, never rebuilt (no ``to_tsvector``), and both GIN indexes can answer.

    The tables are tiny, so the planner would rightly scan them; with plain scans switched off it
    must show which indexes can answer the query.
    """
    target = next(target for target in TARGETS if target.kind == kind)
    table = target.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")

    with CaptureQueriesContext(connection) as queries:
        matched = fulltext.expressions("chief medical", units(["chief", "medical"], []))
        fulltext.find(target, "chief medical", matched, 10)
    ranking = [query["sql"] for query in queries.captured_queries if '"search_en" @@' in query["sql"]]
    assert len(ranking) == 1  # the rank query; the other loads the rows it names
    plan = _plan(ranking[0])

    assert "to_tsvector" not in plan
    assert f"Bitmap Index Scan on {table}_fts_en " in plan
    assert f"Bitmap Index Scan on {table}_fts_nb " in plan


@postgres_only
def test_alternatives_that_stem_alike_are_searched_once(kb):
    """Each repeat of a common word counted again in the planner's estimate: "lege" | "legen" | "leger"
    was taken for three times as many rows as 'leg', and a table scanned where its index answers."""
    found = units(["lege"], [])
    found[0].alternatives += [("legen",), ("leger",), ("doktor",)]
    found[0].synonyms.append("doktor")

    matched = fulltext.expressions("lege", found)

    assert matched.norwegian == "('doktor' | 'leg')"  # the typed query is one of them, so not added again
    assert matched.own_norwegian == "('leg')"
    assert sorted(matched.english.strip("()").split(" | ")) == ["'doktor'", "'leg'", "'lege'", "'legen'", "'leger'"]


@postgres_only
def test_the_query_as_typed_keeps_its_web_search_meaning(kb):
    either = fulltext.expressions("budget or salary", units(["budget", "salary"], []))
    without = fulltext.expressions("cmo -acmo", units(["cmo", "acmo"], []))

    assert either.english.startswith("('budget' | 'salari') | (")
    assert without.english.startswith("('cmo' & !'acmo') | (")
    assert either.own_english == without.own_english == ""  # no synonyms: every match holds the typed words


@postgres_only
def test_the_planner_is_told_how_many_rows_a_common_word_matches(kb):
    """'lege' and its forms in a tenth of 5,000 duties: estimated near that, not at half the table as when
    each form counted again (the estimate decides between reading the GIN indexes and the whole table)."""
    role, category = Role.objects.get(slug="physician"), DutyCategory.objects.first()
    Duty.objects.bulk_create(
        Duty(
            role=role,
            category=category,
            title_en=f"Task {number}" if number % 10 else f"Supervise the doctor on ward {number}",
            title_nb=f"Oppgave {number}" if number % 10 else f"Veilede legen på post {number}",
            editorial=True,
        )
        for number in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE responsibilities_duty")
    found = units(["lege"], [])
    found[0].alternatives += [("legen",), ("leger",), ("legene",), ("doctor",), ("physician",), ("doktor",)]
    target = next(target for target in TARGETS if target.kind == "duty")

    with CaptureQueriesContext(connection) as queries:
        _rows, total = fulltext.find(target, "lege", fulltext.expressions("lege", found), 10)
    ranking = next(query["sql"] for query in queries.captured_queries if '"search_en" @@' in query["sql"])
    estimated = int(re.search(r"CTE matched\n.*? rows=(\d+)", _plan(ranking)).group(1))

    assert 500 <= total <= 600
    assert estimated < 2 * total
    # Only the columns the rank reads are gathered, not whole rows.
    assert 'MATERIALIZED (SELECT "id", "search_en", "search_nb", "title_en", "title_nb", "source_id" FROM' in ranking


@postgres_only
def test_misspelt_terms_are_looked_up_nearest_first_in_the_word_list(kb):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")

    with CaptureQueriesContext(connection) as queries:
        search_knowledge_base("medcal", language="en")
    plan = _plan(queries.captured_queries[1]["sql"])  # after the thesaurus

    assert "Index Scan using search_word_trgm_gist on search_word" in plan
    assert "Order By: (word <->> t.term)" in plan


def test_the_word_list_follows_every_write(kb):
    """Words of a new or changed row can be misspelt at once: triggers keep the list, bulk inserts too."""
    category = DutyCategory.objects.first()
    role = Role.objects.get(slug="physician")
    new = Duty(role=role, category=category, title_en="Chair the zygomatic board", title_nb="Lede zygomatisk råd")
    new.editorial = True
    Duty.objects.bulk_create([new])
    duty = Duty.objects.get(title_en="Chair the zygomatic board")

    assert texts(search_knowledge_base("zygomatc", language="en"), "duty") == ["Chair the zygomatic board"]

    duty.description_en = "Keep the hippocampal register"
    duty.save()

    results = search_knowledge_base("hipocampal", language="en")
    assert texts(results, "duty") == ["Chair the zygomatic board"]
    assert results.corrections == {"hipocampal": "hippocampal"}


def test_a_word_finds_the_compounds_it_begins(kb):
    category = DutyCategory.objects.first()
    role = Role.objects.get(slug="physician")
    Duty.objects.create(
        role=role, category=category, title_en="Run quality work", title_nb="Lede kvalitetsarbeidet", editorial=True
    )

    results = search_knowledge_base("kvalitet", language="nb")

    assert "Lede kvalitetsarbeidet" in texts(results, "duty")
    assert results.corrections == {}


def test_typos_are_reported_with_what_was_searched_for_instead(kb):
    results = search_knowledge_base("chif medcal", language="en")

    assert results.corrections == {"chif": "chief", "medcal": "medical"}
    assert results.corrected_query == "chief medical"
    assert results.terms == ["chif", "medcal"]


def test_words_the_knowledge_base_contains_are_not_corrected(kb):
    results = search_knowledge_base("budget", language="en")

    assert results.corrections == {}
    assert results.corrected_query == ""


def test_ranking_a_bounded_number_of_matches_still_fills_the_page(kb, monkeypatch):
    """A word in nearly every row has only the first RANKED_MATCHES ranked, never fewer than a page."""
    uncapped = search_knowledge_base("physician", language="en", limit=2)
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 1)
    monkeypatch.setattr(sqlite_fulltext, "RANKED_MATCHES", 1)

    capped = search_knowledge_base("physician", language="en", limit=2)

    assert (capped.count, capped.truncated) == (uncapped.count, uncapped.truncated)
    assert uncapped.truncated


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_adding_the_same_new_words_never_wait_for_each_other():
    """The word list has no unique constraint: a second writer is not held up by a first's new words."""
    import psycopg

    load_knowledge_base()
    first, second = Duty.objects.order_by("pk")[:2]
    params = connection.get_connection_params()
    with psycopg.connect(**params) as writer_a, psycopg.connect(**params) as writer_b:
        writer_b.execute("SET lock_timeout = '2s'")
        update = "UPDATE responsibilities_duty SET description_en = %s WHERE id = %s"
        writer_a.execute(update, ["quokka wombat", first.pk])  # open transaction holding new words
        writer_b.execute(update, ["wombat quokka", second.pk])  # would wait on a unique index
        writer_b.commit()
        writer_a.commit()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT word) FROM search_word WHERE word IN ('quokka', 'wombat')")
        assert cursor.fetchone() == (2,)
    assert set(texts(search_knowledge_base("wombat", language="en"), "duty")) == {first.title_en, second.title_en}
