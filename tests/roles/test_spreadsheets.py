"""Roles, duties, qualifications and reporting lines as CSV and XLSX, with ids and readable names."""

import csv
import io

import pytest
from openpyxl import load_workbook

from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(response):
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_roles_workbook_says_whom_each_role_reports_to(anon_client, kb):
    rows = {row["slug"]: row for row in _sheet(anon_client.get("/api/v1/export/roles.xlsx"))}

    assert set(rows) == set(Role.objects.values_list("slug", flat=True))
    physician = rows["physician"]
    assert physician["id"] == Role.objects.get(slug="physician").pk
    assert physician["level_name"] == "Clinician"
    superiors = ReportingLine.objects.filter(subordinate__slug="physician", kind="reports_to")
    assert physician["reports_to"] == ", ".join(superiors.values_list("superior__slug", flat=True))
    assert rows["chief-medical-officer"]["reports_to"] in (None, "")


def test_the_roles_workbook_names_levels_in_norwegian_under_lang_nb(anon_client, kb):
    rows = {row["slug"]: row for row in _sheet(anon_client.get("/api/v1/export/roles.xlsx?lang=nb"))}

    assert rows["physician"]["level_name"] != "Clinician"


@pytest.mark.parametrize(("name", "model"), [("qualifications", Qualification), ("reporting-lines", ReportingLine)])
def test_qualifications_and_reporting_lines_come_as_csv_and_xlsx_alike(anon_client, kb, name, model):
    as_csv = _csv(anon_client.get(f"/api/v1/export/{name}.csv"))
    as_xlsx = _sheet(anon_client.get(f"/api/v1/export/{name}.xlsx"))

    assert len(as_csv) == len(as_xlsx) == model.objects.count()
    assert [int(row["id"]) for row in as_csv] == [row["id"] for row in as_xlsx]
    assert {"text_en", "text_nb"} <= set(as_csv[0]) or {"note_en", "note_nb", "kind_name"} <= set(as_csv[0])


def test_the_duties_workbook_has_ids_and_readable_involvement(anon_client, kb):
    rows = _sheet(anon_client.get("/api/v1/export/duties.xlsx"))

    assert len(rows) == Duty.objects.count()
    assert {row["involvement_name"] for row in rows} <= {str(label) for label in Duty.Involvement.labels}
    assert all(isinstance(row["id"], int) for row in rows)


def test_a_cell_that_would_run_as_a_formula_is_defused(anon_client, kb):
    line = ReportingLine.objects.first()
    ReportingLine.objects.filter(pk=line.pk).update(note_en="=HYPERLINK(1)")

    rows = {int(row["id"]): row for row in _csv(anon_client.get("/api/v1/export/reporting-lines.csv"))}

    assert rows[line.pk]["note_en"] == "'=HYPERLINK(1)"
