"""The read side of the API as the foundation defines it: lists, role detail, org chart, languages."""

import pytest


def test_roles_list_is_paginated_with_count_and_results(client, kb):
    data = client.get("/api/v1/roles/").json()
    assert data["count"] == 4
    assert data["next"] is None and data["previous"] is None
    assert [role["slug"] for role in data["results"]] == [
        "chief-medical-officer",
        "associate-chief-medical-officer",
        "medical-director",
        "physician",
    ]


def test_content_language_follows_accept_language(client, kb):
    response = client.get("/api/v1/roles/physician/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response["Content-Language"] == "nb"
    assert response.json()["title"] == "Lege"
    assert response.json()["title_en"] == "Physician"


def test_lang_parameter_wins_over_accept_language(client, kb):
    response = client.get("/api/v1/roles/physician/?lang=nb", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nb"
    assert response.json()["title"] == "Lege"
    response = client.get("/api/v1/roles/physician/?lang=en", HTTP_ACCEPT_LANGUAGE="nb")
    assert response.json()["title"] == "Physician"


def test_role_detail_nests_everything_with_citations(client, kb):
    data = client.get("/api/v1/roles/chief-medical-officer/").json()
    assert len(data["duties"]) == 23
    assert len(data["qualifications"]) == 9
    assert len(data["facts"]) == 3
    assert {t["title"] for t in data["titles"]} >= {"CMO", "Chief Medical Officer", "medisinsk sjef"}
    assert [s["slug"] for s in data["sources"]] == ["associate-chief-medical-officer", "hva-gjor-en-medisinsk-sjef"]
    pay = next(d for d in data["duties"] if d["title"] == "Set pay grades for staff")
    assert pay == {
        "id": pay["id"],
        "category": "finance",
        "title": "Set pay grades for staff",
        "description": "",
        "involvement": "performs",
        "position": 16,
        "source": "hva-gjor-en-medisinsk-sjef",
        "excerpt": "CMO omhandler også økonomi, ettersom han typisk bestemmer lønnsgraden for ansatte",
        "editorial": False,
    }
    assert {(line["subordinate"], line["kind"]) for line in data["subordinate_lines"]} == {
        ("associate-chief-medical-officer", "reports_to"),
        ("medical-director", "reports_to"),
        ("physician", "oversees"),
        ("physician", "liaison"),
    }
    assert data["superior_lines"] == []


def test_unknown_role_is_404(client, kb):
    assert client.get("/api/v1/roles/nobody/").status_code == 404


def test_org_chart_has_nodes_and_edges_by_slug(client, kb):
    data = client.get("/api/v1/org-chart/").json()
    assert [node["slug"] for node in data["nodes"]] == [
        "chief-medical-officer",
        "associate-chief-medical-officer",
        "medical-director",
        "physician",
    ]
    old_names = [{key: edge[key] for key in ("source", "target", "kind")} for edge in data["edges"]]
    assert {"source": "associate-chief-medical-officer", "target": "chief-medical-officer", "kind": "reports_to"} in (
        old_names
    )
    assert len(data["edges"]) == 5


def test_sources_carry_their_full_text(client, kb):
    data = client.get("/api/v1/sources/hva-gjor-en-medisinsk-sjef/").json()
    assert data["language"] == "nb"
    assert data["text"].startswith("Hva gjør en medisinsk sjef?")


def test_duties_filter_by_role_and_category(client, kb):
    data = client.get("/api/v1/duties/?role__slug=associate-chief-medical-officer&category__slug=finance").json()
    assert {d["title"] for d in data["results"]} == {
        "Manage the budget for assigned departments or programmes",
        "Decide how resources are allocated so that patients get the best possible care",
    }


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/roles/", 2),
        ("/api/v1/roles/chief-medical-officer/", 7),
        ("/api/v1/duties/", 2),
        ("/api/v1/qualifications/", 2),
        ("/api/v1/reporting-lines/", 2),
        ("/api/v1/duty-categories/", 2),
        ("/api/v1/sources/", 2),
        ("/api/v1/titles/", 2),
        ("/api/v1/org-chart/", 3),  # the structure version, nodes, edges
    ],
)
def test_api_query_counts_are_fixed(client, kb, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
