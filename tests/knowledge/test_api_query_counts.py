"""Each list and detail costs a fixed number of queries, however much content there is."""

import pytest

from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, RoleFact, RoleTitle

# Anonymous reads: no session or user queries, so these are the view's own.
LISTS = {
    "/api/v1/roles/": 2,
    "/api/v1/titles/": 2,
    "/api/v1/facts/": 2,
    "/api/v1/qualifications/": 2,
    "/api/v1/reporting-lines/": 2,
    "/api/v1/sources/": 2,
    "/api/v1/duty-categories/": 2,
    "/api/v1/duties/": 2,
    "/api/v1/duties/?role=physician&search=patients&ordering=-position": 2,
    "/api/v1/org-chart/": 3,  # the structure version, roles, lines (then 1: see test_org_chart)
    "/api/v1/org-chart/tree/": 3,
    "/api/v1/export/": 11,
    "/api/v1/export/roles.csv": 1,
    "/api/v1/export/duties.csv": 1,
}


@pytest.mark.parametrize(("path", "queries"), LISTS.items())
def test_list_query_counts(anon_client, kb, django_assert_num_queries, path, queries):
    with django_assert_num_queries(queries):
        assert anon_client.get(path).status_code == 200


def test_detail_query_counts(anon_client, kb, seed_id, django_assert_num_queries):
    details = {
        "/api/v1/roles/physician/": 7,
        "/api/v1/roles/chief-medical-officer/": 7,
        "/api/v1/roles/physician/jsonld/": 7,
        f"/api/v1/titles/{seed_id(RoleTitle, 'title:physician.en.doctor')}/": 1,
        f"/api/v1/facts/{RoleFact.objects.first().pk}/": 1,
        f"/api/v1/qualifications/{seed_id(Qualification, 'qualification:physician.q.licence')}/": 1,
        f"/api/v1/reporting-lines/{seed_id(ReportingLine, 'line:physician-liaison-cmo')}/": 1,
        f"/api/v1/duties/{seed_id(Duty, 'duty:physician.d.best-care')}/": 1,
        "/api/v1/duty-categories/clinical/": 1,
        "/api/v1/sources/hva-gjor-en-medisinsk-sjef/": 1,
    }
    for path, queries in details.items():
        with django_assert_num_queries(queries):
            assert anon_client.get(path).status_code == 200, path
