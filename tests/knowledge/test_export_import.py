"""The whole knowledge base out and back in: deterministic JSON, import into an empty database, CSV."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from knowledge import exchange
from knowledge.models import Source
from responsibilities import exports as duty_exports
from responsibilities.models import Activity, Assignment, Duty, DutyCategory
from roles import exports as role_exports
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle
from sources.models import SentenceMark

MODELS = [
    SentenceMark,
    Assignment,
    Activity,
    Duty,
    ReportingLine,
    Qualification,
    RoleFact,
    RoleTitle,
    Role,
    DutyCategory,
    Source,
]


def _export(tmp_path, name):
    path = tmp_path / name
    call_command("export_kb", output=str(path))
    return path.read_bytes()


def _empty_database():
    for model in MODELS:
        model.objects.all().delete()


def test_export_import_export_is_byte_identical(kb, token_client, tmp_path):
    # An editor's change and an editor-added row must survive the round trip too.
    token_client.patch("/api/v1/roles/physician/", {"summary_nb": "Endret.", "version": 1}, format="json")
    token_client.post(
        "/api/v1/facts/", {"role": "physician", "kind": "scope", "text_en": "Treats patients.", "editorial": True}
    )
    first = _export(tmp_path, "first.json")
    _empty_database()

    call_command("import_kb", str(tmp_path / "first.json"))

    assert _export(tmp_path, "second.json") == first
    assert Role.objects.get(slug="physician").summary_nb == "Endret."
    assert Role.objects.get(slug="physician").version == 2


def test_export_uses_natural_keys_not_database_ids(kb):
    document = exchange.export_data()

    assert list(document) == ["format", "format_version", "sources", "duty_categories", "roles", "activities",
                              "sentence_marks", "titles", "facts", "qualifications", "reporting_lines", "duties",
                              "assignments"]  # fmt: skip
    line = next(row for row in document["reporting_lines"] if row["seed_key"] == "line:physician-liaison-cmo")
    assert line == {
        "editorial": False,
        "excerpt": "Generelt er denne personen en forbindelse mellom leger og sykehusledere.",
        "kind": "liaison",
        "note_en": "The CMO is the link between physicians and hospital management.",
        "note_nb": "Medisinsk sjef er bindeleddet mellom legene og sykehusledelsen.",
        "seed_digest": ReportingLine.objects.get(seed_key="line:physician-liaison-cmo").seed_digest,
        "seed_key": "line:physician-liaison-cmo",
        "source": "hva-gjor-en-medisinsk-sjef",
        "subordinate": "physician",
        "superior": "chief-medical-officer",
        "version": 1,
    }
    assert all("id" not in row for section in document.values() if isinstance(section, list) for row in section)
    assert [len(document[name]) for name in ("sources", "roles")] == [2, 4]
    assert len(document["duties"]) == Duty.objects.count()


def test_export_endpoint_serves_the_same_bytes_as_the_command(kb, anon_client, tmp_path):
    response = anon_client.get("/api/v1/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == _export(tmp_path, "cmd.json")
    assert anon_client.get("/api/v1/export/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_import_refuses_a_database_that_is_not_empty(kb, tmp_path):
    path = tmp_path / "kb.json"
    path.write_text(exchange.export_json())

    with pytest.raises(CommandError, match="use --replace"):
        call_command("import_kb", str(path))


def test_import_with_replace_overwrites_the_current_content(kb, token_client, tmp_path):
    path = tmp_path / "kb.json"
    path.write_text(exchange.export_json())
    token_client.patch("/api/v1/roles/physician/", {"abbreviation_en": "MD", "version": 1}, format="json")

    call_command("import_kb", str(path), "--replace")

    assert Role.objects.get(slug="physician").abbreviation_en == ""
    assert exchange.export_json() == path.read_text()


def test_a_bad_file_imports_nothing_and_says_where(kb, tmp_path):
    document = exchange.export_data()
    _empty_database()
    document["duties"][0]["role"] = "janitor"
    document["reporting_lines"].append({**document["reporting_lines"][0], "seed_key": None,
                                        "subordinate": "physician", "superior": "physician"})  # fmt: skip
    document["roles"][0]["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError) as error:
        call_command("import_kb", str(path))

    assert "roles[0] has an unknown field “colour”." in str(error.value)
    del document["roles"][0]["colour"]
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as error:
        call_command("import_kb", str(path))
    message = str(error.value)
    assert "duties[0]: role “janitor” is not in the file." in message
    assert (
        f"reporting_lines[{len(document['reporting_lines']) - 1}]: superior: A role cannot report to itself." in message
    )
    assert not Role.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title_en", 123, "roles[0]: title_en must be text."),
        ("title_en", {"en": "Chief"}, "roles[0]: title_en must be text."),
        ("position", True, "roles[0]: position must be a whole number."),
        ("position", "3", "roles[0]: position must be a whole number."),
        ("editorial", "yes", "roles[0]: editorial must be true or false."),
        ("source", 1, "roles[0]: source must be a slug (text)."),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_converted(kb, tmp_path, field, value, expected):
    document = exchange.export_data()
    _empty_database()
    document["roles"][0][field] = value
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError) as error:
        call_command("import_kb", str(path))

    assert expected in str(error.value)
    assert not Role.objects.exists()


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "other"}'])
def test_import_of_something_else_is_a_clear_error(db, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content)

    with pytest.raises(CommandError, match="Nothing was imported|not valid JSON"):
        call_command("import_kb", str(path))


def test_import_of_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_kb", str(tmp_path / "missing.json"))


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_roles_csv_has_both_languages_as_columns(kb, anon_client):
    response = anon_client.get("/api/v1/export/roles.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roles.csv"'
    assert response.content.startswith("\ufeff".encode())  # so spreadsheets read the file as UTF-8
    rows = _csv_rows(response)
    assert list(rows[0]) == role_exports.ROLE_COLUMNS
    assert [(r["slug"], r["title_en"], r["title_nb"]) for r in rows] == [
        ("chief-medical-officer", "Chief Medical Officer", "Medisinsk sjef"),
        ("associate-chief-medical-officer", "Associate Chief Medical Officer", "Assisterende medisinsk sjef"),
        ("medical-director", "Medical Director", "Medisinsk direktør"),
        ("physician", "Physician", "Lege"),
    ]
    assert rows[3]["occupation_codes"] == "2211,2212"
    assert rows[3]["source"] == "hva-gjor-en-medisinsk-sjef"


def test_duties_csv_lists_every_duty_with_both_languages(kb, anon_client):
    response = anon_client.get("/api/v1/export/duties.csv")

    assert response["Content-Disposition"] == 'attachment; filename="duties.csv"'
    rows = _csv_rows(response)
    assert len(rows) == Duty.objects.count()
    assert list(rows[0]) == duty_exports.DUTY_COLUMNS
    physician = [r for r in rows if r["role"] == "physician"]
    assert physician[1] == {
        "role": "physician", "category": "education", "category_name_en": "Education and training",
        "category_name_nb": "Utdanning og opplæring", "title_en": "When new to the hospital, learn its policies",
        "title_nb": "Som ny på sykehuset, lære sykehusets retningslinjer",
        "description_en": "The CMO trains new physicians in hospital policy.",
        "description_nb": "Medisinsk sjef lærer opp nye leger i sykehusets retningslinjer.", "involvement": "performs",
        "position": "2", "source": "hva-gjor-en-medisinsk-sjef", "excerpt": "trener nye leger på sykehuspolitikk",
        "editorial": "False",
    }  # fmt: skip


def test_csv_cells_cannot_run_as_spreadsheet_formulas(kb, token_client, anon_client):
    token_client.patch("/api/v1/roles/physician/", {"summary_en": '=HYPERLINK("x")', "version": 1}, format="json")

    rows = _csv_rows(anon_client.get("/api/v1/export/roles.csv"))

    assert rows[3]["summary_en"] == '\'=HYPERLINK("x")'


def test_an_export_made_before_sentence_marks_and_source_dates_still_imports(kb, tmp_path):
    document = json.loads(_export(tmp_path, "now.json"))
    del document["sentence_marks"]
    for source in document["sources"]:
        del source["origin"], source["date"], source["checksum"]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(document))
    _empty_database()
    call_command("import_kb", str(path))
    source = Source.objects.get(slug="hva-gjor-en-medisinsk-sjef")
    assert len(source.checksum) == 64 and source.origin == "" and not SentenceMark.objects.exists()


def test_a_source_date_goes_out_and_comes_back(kb, tmp_path):
    Source.objects.filter(slug="hva-gjor-en-medisinsk-sjef").update(date="2025-05-11")
    document = json.loads(_export(tmp_path, "dated.json"))
    assert document["sources"][1]["date"] == "2025-05-11"
    _empty_database()
    call_command("import_kb", str(tmp_path / "dated.json"))
    assert str(Source.objects.get(slug="hva-gjor-en-medisinsk-sjef").date) == "2025-05-11"
