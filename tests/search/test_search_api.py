"""The search endpoint /api/v1/search/?q=: same service as the page, JSON, language by ?lang= or Accept-Language."""

from unittest.mock import ANY

import pytest
from django.db import connection

from responsibilities.models import Duty
from search.search import MAX_LIMIT, MAX_QUERY_LENGTH

from kb_testing import search_queries

URL = "/api/v1/search/"


def backend():
    return "full-text"


def test_it_returns_matches_grouped_by_role(client, kb):
    duty = Duty.objects.get(seed_key="duty:cmo.d.pay-grades")

    response = client.get(URL, {"q": "pay grades"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "query": "pay grades",
        "language": "en",
        "backend": backend(),
        "database": connection.vendor,
        "count": 1,
        "truncated": False,
        "totals": {"role": 0, "title": 0, "duty": 1, "qualification": 0, "fact": 0, "line": 0, "category": 0},
        "synonyms": ["salary", "compensation", "remuneration", "wage", "earnings", "lønn", "lønning", "godtgjørelse"],
        "corrections": {},
        "categories": [],
        "results": [
            {
                "role": {
                    "slug": "chief-medical-officer",
                    "title": "Chief Medical Officer",
                    "abbreviation": "CMO",
                    "level": "executive",
                    "url": "/roles/chief-medical-officer/",
                },
                "score": ANY,
                "matches": [
                    {
                        "kind": "duty",
                        "id": duty.pk,
                        "language": "en",
                        "text": "Set pay grades for staff",
                        "highlighted": "Set <mark>pay</mark> <mark>grades</mark> for staff",
                        "detail": "",
                        "detail_highlighted": "",
                        "label": "Finance and resources",
                        "rank": ANY,
                        "url": f"/roles/chief-medical-officer/#duty-{duty.pk}",
                        "excerpt_highlighted": "",
                        "source": "",
                    }
                ],
            }
        ],
    }


def test_lang_parameter_picks_norwegian(client, kb):
    duty = Duty.objects.get(seed_key="duty:cmo.d.pay-grades")

    response = client.get(URL, {"q": "lønnstrinn", "lang": "nb"})

    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    body = response.json()
    assert body["language"] == "nb"
    assert [group["role"] for group in body["results"]] == [
        {
            "slug": "chief-medical-officer",
            "title": "Medisinsk sjef",
            "abbreviation": "CMO",
            "level": "executive",
            "url": "/nb/roles/chief-medical-officer/",
        }
    ]
    assert body["results"][0]["matches"] == [
        {
            "kind": "duty",
            "id": duty.pk,
            "language": "nb",
            "text": "Fastsette lønnstrinn for de ansatte",
            "highlighted": "Fastsette <mark>lønnstrinn</mark> for de ansatte",
            "detail": "",
            "detail_highlighted": "",
            "label": "Økonomi og ressurser",
            "rank": ANY,
            "url": f"/nb/roles/chief-medical-officer/#duty-{duty.pk}",
            "excerpt_highlighted": "",
            "source": "",
        }
    ]


def test_accept_language_picks_norwegian(client, kb):
    response = client.get(URL, {"q": "Physician"}, headers={"accept-language": "nb"})

    body = response.json()
    assert body["language"] == "nb"
    assert body["results"][0]["role"]["title"] == "Lege"
    # The thesaurus knows "lege" is a physician: the name is shown in the reader's language.
    assert body["results"][0]["matches"][0]["text"] == "Lege"
    assert body["results"][0]["matches"][0]["language"] == "nb"


def test_markup_in_results_is_escaped_in_highlighted_fields(client, kb):
    response = client.get(URL, {"q": "<b>budget</b>"})

    body = response.json()
    assert body["query"] == "<b>budget</b>"
    highlighted = {m["highlighted"] for group in body["results"] for m in group["matches"]}
    assert highlighted >= {
        "Help manage the <mark>budget</mark>",
        "Manage the <mark>budget</mark> for assigned departments or programmes",
    }
    assert not any("<b>" in text for text in highlighted)


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({}, {"q": ["Type a word or two to search for, such as a title or a duty."]}),
        ({"q": "  "}, {"q": ["Type a word or two to search for, such as a title or a duty."]}),
        (
            {"q": "x" * (MAX_QUERY_LENGTH + 1)},
            {"q": [f"Your search is too long: use at most {MAX_QUERY_LENGTH} characters."]},
        ),
        ({"q": "***"}, {"q": ["Search for words: letters or digits."]}),
        ({"q": "budget", "limit": "many"}, {"limit": ["Enter a whole number."]}),
        # int() takes other scripts' digits and spaces; the schema's integer does not.
        ({"q": "budget", "limit": "٣"}, {"limit": ["Enter a whole number."]}),
        ({"q": "budget", "limit": " 3"}, {"limit": ["Enter a whole number."]}),
        ({"q": "budget", "limit": "0"}, {"limit": [f"Enter a number from 1 to {MAX_LIMIT}."]}),
        ({"q": "budget", "limit": str(MAX_LIMIT + 1)}, {"limit": [f"Enter a number from 1 to {MAX_LIMIT}."]}),
    ],
)
def test_bad_input_gets_400_with_the_reason(client, kb, params, error):
    response = client.get(URL, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == error


def test_limit_caps_matches_and_says_so(client, kb):
    body = client.get(URL, {"q": "physician", "limit": "1"}).json()

    assert body["truncated"] is True
    kinds = [m["kind"] for group in body["results"] for m in group["matches"] if m["kind"] != "name"]
    assert kinds.count("duty") == 1
    assert kinds.count("qualification") <= 1


def test_writes_are_not_allowed(client, kb):
    assert client.post(URL, {"q": "budget"}).status_code in (401, 403, 405)


def test_anonymous_read_is_refused_when_public_read_is_off(client, kb, settings):
    settings.KB_PUBLIC_READ = False

    assert client.get(URL, {"q": "budget"}).status_code == 401


def test_query_count_does_not_grow_with_the_results(
    client, kb, django_assert_max_num_queries, django_assert_num_queries
):
    # The search's own (the thesaurus, the word list, on PostgreSQL the expressions, rank and load per kind of
    # row) and the request's own few.
    with django_assert_max_num_queries(search_queries() + 2) as small:
        client.get(URL, {"q": "pay grades"})
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(URL, {"q": "lege", "lang": "nb"}).json()

    assert body["count"] > 10


def test_endpoint_is_in_the_openapi_schema(client, db):
    response = client.get("/api/v1/schema/", headers={"accept": "application/json"})

    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert response.status_code == 200
    assert "/api/v1/search/" in text
    if schema is not None:
        operation = schema["paths"]["/api/v1/search/"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {"q", "lang", "limit"}
        assert set(operation["responses"]) >= {"200", "400"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typo tolerance needs PostgreSQL")
def test_misspelt_words_are_reported_with_the_words_searched_for_instead(client, kb):
    body = client.get(URL, {"q": "chif medcal"}).json()

    assert body["corrections"] == {"chif": "chief", "medcal": "medical"}
    assert body["results"][0]["role"]["slug"] == "chief-medical-officer"


def test_schema_says_what_a_query_must_be(client, db):
    # A blank q was schema-valid and got 400. No pattern for "holds a word": ECMA's \w would refuse "æ".
    schema = client.get("/api/v1/schema/?format=json").json()

    q = next(p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"] if p["name"] == "q")
    assert q["required"] is True
    assert q["schema"] == {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH}


def test_a_word_in_any_script_is_a_query(client, kb):
    assert client.get(URL, {"q": "æ"}).status_code == 200


def test_a_page_of_one_kind_past_the_last_is_a_404_problem(client, kb):
    total = client.get(URL, {"q": "lege", "kind": "duty", "limit": 5}).json()["totals"]["duty"]

    response = client.get(URL, {"q": "lege", "kind": "duty", "limit": 5, "page": total // 5 + 2})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Invalid page."
    last = client.get(URL, {"q": "lege", "kind": "duty", "limit": 5, "page": (total + 4) // 5})
    assert last.status_code == 200 and last.json()["totals"] == {"duty": total}
