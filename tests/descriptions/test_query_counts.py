"""Every page and API read issues the same, exact number of queries at 4 roles and at 2,000."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from descriptions.demo import generate_demo_org
from roles.models import Role
from roles.queries import forget_precomputed

from kb_testing import search_queries

DEMO_ROLES = 2000

# The whole-response cache is on, as in production; ``uncached`` switches it off to measure the views.
pytestmark = pytest.mark.usefixtures("response_cache_on")


@pytest.fixture
def uncached(settings):
    """Measure the real work: every request goes to the view."""
    settings.KB_RESPONSE_CACHE = False


# Search: the thesaurus, the word list (typos), on PostgreSQL the parsed expressions, then per kind of
# row (seven) one query that ranks and counts and one that loads the page's rows.
SEARCH = search_queries()

# Endpoint → exact queries for an anonymous reader with the response cache off (the real work).
# A change here is a change in how a page scales: keep it flat, then update the number.
EXPECTED = {
    # The directory: its version, the matching ids in order, the page's roles with their duty counts,
    # the filters' categories and departments; the ids and filters are then kept until the version moves.
    "/": 5,
    "/nb/": 5,
    "/?level=clinician&sort=title&view=table": 5,
    "/?category=finance&sort=duties": 5,
    "/nb/?department=Kardiologi%2C+Fjordby&sort=-title": 5,
    "/compare/": 1,  # nothing chosen: just the picker (every role while they are few, else none)
    "/compare/?find=medical&action=find&roles=physician": 2,
    "/roles/chief-medical-officer/": 8,  # the sheet's seven and the role's column of the matrix
    "/roles/physician/": 8,
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
    "/api/v1/org-chart/": 3,  # the structure version, roles, lines (then 1: see test_org_chart)
    "/api/v1/org-chart/tree/": 3,
    "/org-chart/": 3,  # the structure version, roles, lines; a large chart is collapsed from those
    "/org-chart/?focus=medical-director": 3,
    "/nb/org-chart/?focus=physician": 3,
    "/org-chart.svg": 3,
    "/org-chart/graph.json": 3,  # the interactive chart's graph: the same rows
    "/org-chart.svg?focus=chief-medical-officer": 3,
    "/compare/?roles=chief-medical-officer,physician": 6,
    "/compare/?roles=chief-medical-officer,medical-director,physician": 6,
    "/search/?q=cardiology": SEARCH,
    "/nb/search/?q=lege": SEARCH,
    "/api/v1/search/?q=cardiology": SEARCH,
    "/roles/chief-medical-officer/pdf/": 7,
    "/roles/physician/pdf/": 7,
    "/api/v1/export/": 11,  # every row of the knowledge base: one query per table
    # The responsibility matrix: filter choices, the page of activities (counted), their cells.
    "/responsibilities/": 5,
    "/nb/responsibilities/?page=2": 5,
    "/responsibilities/?category=quality-safety&role=physician": 7,  # + the category and the role named
    "/responsibilities/budget/chief-medical-officer/": 3,
    "/api/v1/raci/": 2,
    "/api/v1/raci/?role=medical-director": 3,
    "/api/v1/raci/activities/": 3,
    "/api/v1/raci/assignments/": 2,
    "/api/v1/export/raci.csv": 2,
    "/api/v1/export/raci.xlsx": 2,
}


def count_queries(client) -> dict[str, int]:
    counts = {}
    for url in EXPECTED:
        forget_precomputed()  # each endpoint's own work, not what the one before kept for the org chart
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_every_read_endpoint_issues_the_exact_queries_at_4_roles(kb, uncached, client):
    assert count_queries(client) == EXPECTED


def test_a_cached_response_costs_one_query_at_any_size(kb, client, django_assert_num_queries):
    generate_demo_org(300)
    for url in EXPECTED:
        client.get(url)
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response["X-KB-Cache"] == "hit", url


def test_the_directory_pages_through_thousands_of_roles(kb, uncached, client):
    generate_demo_org(130)

    first = client.get("/").content.decode()
    third = client.get("/?page=3").content.decode()

    assert "Roles 1–60 of 134" in first and first.count('class="card"') == 60
    assert '<a rel="next" href="?page=2">' in first and 'rel="prev"' not in first
    assert '<a href="?page=3"><span class="visually-hidden">Page </span>3</a>' in first
    assert "Roles 121–134 of 134" in third and third.count('class="card"') == 14 and 'rel="next"' not in third
    assert first.count("<h2") == 4  # executive, senior leaders, department leads, clinicians: once each
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=x").status_code == 404


def test_filters_narrow_the_total_and_pages_keep_them(kb, uncached, client):
    generate_demo_org(130)

    clinicians = client.get("/?level=clinician&view=table")
    html = clinicians.content.decode()

    assert clinicians.context["page_obj"].total == Role.objects.filter(level="clinician").count() > 60
    assert html.count("<tr>") == 61  # the header and a row per role
    assert '<a rel="next" href="?level=clinician&amp;view=table&amp;page=2">' in html


HISTORY = "/roles/chief-medical-officer/history/"


def history_queries(client) -> int:
    """History is for signed-in users only (it names editors), so it is measured with a session."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HISTORY)
    assert response.status_code == 200
    return len(queries)


def test_the_signed_in_history_page_issues_the_exact_queries_at_4_roles(kb, uncached, editor_client):
    assert history_queries(editor_client) == 14  # including the session and the user


@pytest.fixture(scope="class")
def demo_org(django_db_setup, django_db_blocker):
    """2,000 demo roles under the real ones, built once for a class of tests that only read them.

    Generating them takes a while; they live in a transaction rolled back after the class's last
    test, and each test still runs in its own transaction inside it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        generate_demo_org(DEMO_ROLES)
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_org")
class TestAt2000Roles:
    """The same reads, the same counts, once the organisation has 2,000 demo roles."""

    def test_every_read_endpoint_issues_the_same_exact_queries(self, kb, uncached, client):
        assert count_queries(client) == EXPECTED

    def test_the_signed_in_history_page_issues_the_same_queries(self, kb, uncached, editor_client):
        assert history_queries(editor_client) == 14  # including the session and the user

    def test_the_directory_writes_its_total_as_each_language_writes_numbers(self, kb, uncached, client):
        total = Role.objects.count()
        assert total > 1000

        assert f"Roles 1–60 of {total // 1000},{total % 1000:03d}" in client.get("/").content.decode()
        assert f"Roller 1–60 av {total // 1000}\xa0{total % 1000:03d}" in client.get("/nb/").content.decode()

    def test_the_org_chart_writes_its_count_as_each_language_writes_numbers(self, kb, uncached, client):
        total = Role.objects.count()

        assert f"{total // 1000},{total % 1000:03d} roles; solid lines" in client.get("/org-chart/").content.decode()
        assert (
            f"{total // 1000}\xa0{total % 1000:03d} roller; heltrukne" in client.get("/nb/org-chart/").content.decode()
        )
