"""Every page and API read issues the same, exact number of queries at 4 roles and at 2,000."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from responsibilities.demo import generate_demo_org

DEMO_ROLES = 2000

# Endpoint → exact queries for an anonymous reader with the response cache off (the real work).
# A change here is a change in how a page scales: keep it flat, then update the number.
EXPECTED = {
    "/": 2,
    "/?page=2": 2,
    "/nb/": 2,
    "/roles/chief-medical-officer/": 7,
    "/roles/physician/": 7,
    "/api/v1/roles/": 2,
    "/api/v1/roles/?level=clinician": 2,
    "/api/v1/roles/chief-medical-officer/": 7,
    "/api/v1/roles/medical-director/": 7,
    "/api/v1/duties/": 2,
    "/api/v1/qualifications/": 2,
    "/api/v1/reporting-lines/": 2,
    "/api/v1/titles/": 2,
    "/api/v1/facts/": 2,
    "/api/v1/sources/": 2,
    "/api/v1/duty-categories/": 2,
    "/api/v1/org-chart/": 2,
}


def count_queries(client) -> dict[str, int]:
    counts = {}
    for url in EXPECTED:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_every_read_endpoint_issues_the_same_exact_queries_at_4_and_2000_roles(kb, uncached, client):
    assert count_queries(client) == EXPECTED

    generate_demo_org(DEMO_ROLES)

    assert count_queries(client) == EXPECTED


def test_a_cached_response_costs_one_query_at_any_size(kb, client, django_assert_num_queries):
    generate_demo_org(300)
    for url in EXPECTED:
        client.get(url)
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response["X-KB-Cache"] == "hit", url
