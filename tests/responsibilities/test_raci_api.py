"""The matrix in the API: the matrix, activities and cells written under the rules, and the downloads."""

import csv
import io
import json

from openpyxl import load_workbook

from knowledge import exchange
from responsibilities.models import Activity, Assignment

NEW_ACTIVITY = {
    "slug": "rota",
    "category": "operations",
    "title_en": "Rota",
    "title_nb": "Turnus",
    "assignments": [
        {"role": "chief-medical-officer", "letter": "A", "editorial": True},
        {"role": "medical-director", "letter": "R", "editorial": True},
    ],
}


def test_the_matrix_lists_activities_roles_and_cells(kb, anon_client):
    data = anon_client.get("/api/v1/raci/").json()
    assert [role["slug"] for role in data["roles"]] == [
        "chief-medical-officer",
        "associate-chief-medical-officer",
        "medical-director",
        "physician",
    ]
    assert len(data["activities"]) == 8 and len(data["cells"]) == 30
    budget = next(a for a in data["activities"] if a["slug"] == "budget")
    assert budget["title_nb"] == "Budsjett" and budget["breaks"] == []
    cell = next(
        c for c in data["cells"] if c["activity"] == "budget" and c["role"] == "associate-chief-medical-officer"
    )
    assert cell["letter"] == "R" and cell["source"] == "associate-chief-medical-officer" and not cell["editorial"]


def test_the_matrix_filters_by_category_and_role(kb, anon_client):
    data = anon_client.get("/api/v1/raci/?category=quality-safety&role=physician").json()
    assert [a["slug"] for a in data["activities"]] == ["patient-safety-and-quality-improvement", "best-possible-care"]
    response = anon_client.get("/api/v1/raci/?role=nobody")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]["role"] == ["There is no role “nobody”."]


def test_the_matrix_speaks_norwegian(kb, anon_client):
    data = anon_client.get("/api/v1/raci/?lang=nb&category=finance").json()
    assert data["activities"][0]["title"] == "Budsjett"


def test_an_editor_creates_an_activity_with_its_cells(kb, token_client):
    response = token_client.post("/api/v1/raci/activities/", NEW_ACTIVITY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["breaks"] == [] and response["ETag"]
    assert sorted(Activity.objects.get(slug="rota").assignments.values_list("letter", flat=True)) == ["A", "R"]


def test_an_activity_without_cells_or_an_a_is_refused_as_a_problem(kb, token_client):
    response = token_client.post("/api/v1/raci/activities/", {**NEW_ACTIVITY, "assignments": []}, format="json")
    assert response.status_code == 400 and "assignments" in response.json()["errors"]
    cells = [{"role": "medical-director", "letter": "R", "editorial": True}]
    response = token_client.post("/api/v1/raci/activities/", {**NEW_ACTIVITY, "assignments": cells}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "Refused for the activity “Rota”: no role would be accountable (A)" in json.dumps(
        response.json(), ensure_ascii=False
    )
    assert not Activity.objects.filter(slug="rota").exists()


def test_the_a_moves_with_a_whole_set_of_cells_and_if_match(kb, token_client):
    etag = token_client.get("/api/v1/raci/activities/budget/")["ETag"]
    cells = [
        {"role": "chief-medical-officer", "letter": "C", "editorial": True},
        {"role": "associate-chief-medical-officer", "letter": "A", "editorial": True},
        {"role": "medical-director", "letter": "R", "editorial": True},
    ]
    response = token_client.patch(
        "/api/v1/raci/activities/budget/", {"assignments": cells}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert {c["role"]: c["letter"] for c in response.json()["assignments"]} == {
        "chief-medical-officer": "C",
        "associate-chief-medical-officer": "A",
        "medical-director": "R",
    }


def test_a_stale_if_match_is_412_and_no_version_is_428(kb, token_client):
    response = token_client.patch(
        "/api/v1/raci/activities/budget/", {"title_en": "Money"}, format="json", HTTP_IF_MATCH='"99.abc"'
    )
    assert response.status_code == 412
    assert (
        token_client.patch("/api/v1/raci/activities/budget/", {"title_en": "Money"}, format="json").status_code == 428
    )


def test_a_cell_is_written_on_its_own_as_a_set_of_one(kb, token_client):
    body = {"activity": "budget", "role": "physician", "letter": "I", "editorial": True}
    response = token_client.post("/api/v1/raci/assignments/", body, format="json")
    assert response.status_code == 201, response.json()
    cell = response.json()
    response = token_client.patch(
        f"/api/v1/raci/assignments/{cell['id']}/", {"letter": "A", "version": 1}, format="json"
    )
    assert response.status_code == 400 and "more than one role would be accountable" in json.dumps(response.json())
    response = token_client.delete(f"/api/v1/raci/assignments/{cell['id']}/", HTTP_IF_MATCH="*")
    assert response.status_code == 204


def test_deleting_the_only_r_is_refused(kb, token_client):
    cell = Assignment.objects.get(activity__slug="budget", letter="R")
    response = token_client.delete(f"/api/v1/raci/assignments/{cell.pk}/", HTTP_IF_MATCH="*")
    assert response.status_code == 400 and "no role would be responsible" in json.dumps(response.json())


def test_readers_cannot_write(kb, reader_api_client, anon_client):
    assert anon_client.post("/api/v1/raci/activities/", NEW_ACTIVITY, format="json").status_code in (401, 403)
    assert reader_api_client.post("/api/v1/raci/activities/", NEW_ACTIVITY, format="json").status_code == 403


def test_the_schema_documents_the_matrix(kb, anon_client):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/raci/",
        "/api/v1/raci/activities/",
        "/api/v1/raci/assignments/{id}/",
        "/api/v1/export/raci.xlsx",
    ):
        assert path in schema["paths"], path


def test_the_csv_is_the_matrix_in_both_languages(kb, anon_client):
    response = anon_client.get("/api/v1/export/raci.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["category", "category_name_en", "category_name_nb", "activity", "title_en", "title_nb"]
    assert rows[0][6:] == [
        "chief-medical-officer",
        "associate-chief-medical-officer",
        "medical-director",
        "physician",
        "breaks",
    ]
    budget = next(row for row in rows if row[3] == "budget")
    assert budget[4:] == ["Budget", "Budsjett", "A", "R", "C", "", ""]


def test_the_xlsx_holds_the_matrix_and_every_cell_with_its_citation(kb, anon_client):
    response = anon_client.get("/api/v1/export/raci.xlsx?category=finance")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    matrix = [[cell.value for cell in row] for row in workbook["RACI"].iter_rows()]
    assert matrix[1][6] == "Chief Medical Officer / Medisinsk sjef"
    assert matrix[2][3:9] == ["budget", "Budget", "Budsjett", "A", "R", "C"]
    cells = [[cell.value for cell in row] for row in workbook["Cells"].iter_rows()]
    acmo = next(row for row in cells if row[4] == "associate-chief-medical-officer")
    assert acmo[7] == "R" and acmo[10] == "associate-chief-medical-officer" and acmo[12] is False


def test_the_export_names_a_cells_duty_by_its_place_and_imports_it_back(kb):
    document = exchange.export_data()
    cell = next(
        c
        for c in document["assignments"]
        if c["activity"] == "budget" and c["role"] == "associate-chief-medical-officer"
    )
    index = int(cell["duty"].removeprefix("duties[").removesuffix("]"))
    assert document["duties"][index]["title_en"] == "Manage the budget for assigned departments or programmes"
    exchange.import_data(document, replace=True)
    assert exchange.export_data() == document
    assert Assignment.objects.get(
        activity__slug="budget", role__slug="associate-chief-medical-officer"
    ).duty.title_en == ("Manage the budget for assigned departments or programmes")
