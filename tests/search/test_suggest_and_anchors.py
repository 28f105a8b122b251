"""Suggestions as you type (/api/v1/search/suggest/), the relevance suite, and the rows a match links to."""

import pytest

from roles.models import ReportingLine, RoleFact
from search.evaluation import evaluate, load_cases

URL = "/api/v1/search/suggest/"


def test_suggests_roles_by_the_beginning_of_their_names_and_words(client, kb):
    body = client.get(URL, {"q": "chief med"}).json()

    roles = [item for item in body["suggestions"] if item["kind"] == "role"]
    assert roles[0] == {"kind": "role", "text": "Chief Medical Officer", "url": "/roles/chief-medical-officer/"}
    terms = [item["text"] for item in body["suggestions"] if item["kind"] == "term"]
    assert "chief medical" in terms
    assert all(item["url"].startswith("/search/?q=chief+med") for item in body["suggestions"] if item["kind"] == "term")


def test_suggests_other_titles_with_the_role_they_name(client, kb):
    body = client.get(URL, {"q": "medisinsk sj", "lang": "en"}).json()

    assert body["suggestions"][0] == {
        "kind": "role",
        "text": "medisinsk sjef (Chief Medical Officer)",
        "url": "/roles/chief-medical-officer/",
    }


def test_norwegian_titles_and_urls_under_nb(client, kb):
    body = client.get(URL, {"q": "lege", "lang": "nb"}).json()

    assert {"kind": "role", "text": "Lege", "url": "/nb/roles/physician/"} in body["suggestions"]


@pytest.mark.parametrize("q", ["", "c", "  ", "***"])
def test_too_little_typed_suggests_nothing(client, kb, q):
    assert client.get(URL, {"q": q}).json() == {"query": q, "suggestions": []}


def test_too_long_is_a_problem(client, kb):
    response = client.get(URL, {"q": "x" * 201})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_two_queries_whatever_is_typed(client, kb, django_assert_num_queries):
    from search.suggest import suggest

    for q in ("ch", "chief medical off", "lege", "zzz"):
        with django_assert_num_queries(2):
            suggest(q, language="en")


def test_the_suggest_endpoint_is_in_the_schema(client, kb):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert "/api/v1/search/suggest/" in schema["paths"]


def test_every_row_a_match_links_to_has_its_anchor_on_the_role_page(client, kb):
    fact = RoleFact.objects.get(seed_key="fact:acmo.fact.salary")
    line = ReportingLine.objects.get(seed_key="line:acmo-reports-to-cmo")
    html = client.get("/roles/associate-chief-medical-officer/").content.decode()

    assert f'<li id="fact-{fact.pk}">' in html
    assert f'<li id="line-{line.pk}">' in html
    qualification = fact.role.qualifications.first()
    assert f'<li id="qualification-{qualification.pk}">' in html
    alternative = fact.role.titles.get(title="Associate CMO")
    assert f'<span id="title-{alternative.pk}">Associate CMO</span>' in html


def test_the_relevance_suite_meets_its_targets_at_seed_size(kb):
    outcomes = evaluate(load_cases())

    assert len(outcomes) >= 80
    assert {outcome.lang for outcome in outcomes} == {"en", "nb"}
    misses = [(o.query, o.ranks) for o in outcomes if o.recall < 1.0]
    assert misses == []
    assert sum(o.reciprocal_rank for o in outcomes) / len(outcomes) >= 0.9
