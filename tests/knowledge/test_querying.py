"""Filters, search, ordering, page size and field selection on the lists."""

import pytest

from responsibilities.models import Duty


def _slugs(response, key="slug"):
    return [row[key] for row in response.json()["results"]]


def test_duties_filter_by_role_category_and_source(anon_client, kb):
    response = anon_client.get("/api/v1/duties/?role=physician&category=education&fields=role,category,title")

    assert response.json()["results"] == [
        {"role": "physician", "category": "education", "title": "When new to the hospital, learn its policies"}
    ]
    by_source = anon_client.get("/api/v1/duties/?source=hva-gjor-en-medisinsk-sjef&page_size=200").json()
    assert by_source["count"] == Duty.objects.filter(source__slug="hva-gjor-en-medisinsk-sjef").count() > 0
    editorial = anon_client.get("/api/v1/duties/?editorial=true&page_size=200").json()
    assert editorial["count"] == Duty.objects.filter(editorial=True).count()


def test_unknown_role_filter_gives_an_empty_list(anon_client, kb):
    assert anon_client.get("/api/v1/duties/?role=janitor").json()["count"] == 0


def test_lines_filter_by_kind_and_role(anon_client, kb):
    solid = anon_client.get("/api/v1/reporting-lines/?kind=reports_to&fields=subordinate,superior").json()
    either_end = anon_client.get("/api/v1/reporting-lines/?role=medical-director&fields=subordinate,superior").json()

    assert solid["results"] == [
        {"subordinate": "associate-chief-medical-officer", "superior": "chief-medical-officer"},
        {"subordinate": "medical-director", "superior": "chief-medical-officer"},
        {"subordinate": "physician", "superior": "medical-director"},
    ]
    assert all("medical-director" in (row["subordinate"], row["superior"]) for row in either_end["results"])
    assert either_end["count"] >= 2


def test_search_looks_through_both_languages(anon_client, kb):
    english = anon_client.get("/api/v1/roles/?search=doctor&fields=slug")
    norwegian = anon_client.get("/api/v1/roles/?search=lege&fields=slug")

    assert _slugs(english) == ["physician"]
    assert "physician" in _slugs(norwegian)


def test_ordering_uses_an_allow_list(anon_client, kb):
    descending = anon_client.get("/api/v1/roles/?ordering=-position&fields=slug")
    not_allowed = anon_client.get("/api/v1/roles/?ordering=excerpt&fields=slug")

    assert _slugs(descending) == ["physician", "medical-director", "associate-chief-medical-officer",
                                  "chief-medical-officer"]  # fmt: skip
    assert not_allowed.status_code == 400  # refused, not silently ignored (tests/knowledge/test_ordering.py)


def test_page_size_is_capped_at_200(anon_client, kb):
    response = anon_client.get("/api/v1/duties/?page_size=1000")

    assert len(response.json()["results"]) == min(200, Duty.objects.count())


def test_page_navigation_links(anon_client, kb):
    second = anon_client.get("/api/v1/duties/?page=2&page_size=10&fields=id").json()

    assert second["previous"] == "http://testserver/api/v1/duties/?fields=id&page_size=10"
    assert second["next"] == "http://testserver/api/v1/duties/?fields=id&page=3&page_size=10"
    assert len(second["results"]) == 10


def test_field_selection_works_on_detail(anon_client, kb):
    assert anon_client.get("/api/v1/roles/physician/?fields=slug,version").json() == {"slug": "physician", "version": 1}


def test_editorial_filter_takes_only_true_or_false(anon_client, kb):
    response = anon_client.get("/api/v1/duties/?editorial=maybe")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["editorial"]


@pytest.mark.parametrize("page_size", ["²", "٣", "0", "-1", "1.5", " 5"])
def test_page_size_that_is_not_a_whole_number_from_1_is_a_400(anon_client, kb, page_size):
    # "²" passed str.isdigit() and then broke int(): a 500 before schemathesis found it.
    response = anon_client.get("/api/v1/duties/", {"page_size": page_size})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Enter a whole number from 1 to 200."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/sources/?language=",
        "/api/v1/titles/?kind=",
        "/api/v1/roles/?level=",
        "/api/v1/duties/?involvement=",
        "/api/v1/qualifications/?requirement=",
        "/api/v1/reporting-lines/?kind=",
        "/api/v1/duties/?editorial=",
    ],
)
def test_a_blank_value_for_a_filter_with_listed_values_is_a_400(anon_client, kb, url):
    # The schema lists the values (an enum); django-filter took a blank one as "no filter" and answered 200.
    response = anon_client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    name = url.rsplit("?", 1)[1].rstrip("=")
    assert response.json()["errors"] == {name: ["Choose one of the listed values."]}


def test_a_blank_value_for_a_free_text_filter_still_means_no_filter(anon_client, kb):
    everything = anon_client.get("/api/v1/duties/?fields=id&page_size=200").json()

    assert anon_client.get("/api/v1/duties/?role=&fields=id&page_size=200").json() == everything


@pytest.mark.parametrize("query", ["page=", "page=abc", "page=0", "page=2&page="])
def test_a_page_that_is_not_a_page_number_is_a_404(anon_client, kb, query):
    # A blank page (also the last of several) was read as page 1: the schema's integer from 1 says otherwise.
    response = anon_client.get(f"/api/v1/duties/?{query}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
