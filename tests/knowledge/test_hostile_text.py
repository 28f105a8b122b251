"""Text that cannot be shown, or that reads differently from what it is, is refused with a field error."""

import json

import pytest
from django.core.management import CommandError, call_command

from roles.models import Role

from kb_testing import form_payload

CHARACTERS = {
    "vertical tab from a word processor": "Chief\x0bMedical Officer",
    "escape": "Chief \x1b[31mMedical Officer",
    "not a character": "Chief Medical Officer\ufffe",
    "right-to-left override": "Chief \u202eMedical Officer",
    "left-to-right isolate": "Chief \u2066Medical\u2069 Officer",
    "NUL": "Chief\x00Medical Officer",
}


@pytest.fixture
def api(token_client):
    return token_client


@pytest.mark.parametrize("text", CHARACTERS.values(), ids=CHARACTERS.keys())
def test_the_api_refuses_a_title_with_a_forbidden_character(api, kb, text):
    role = Role.objects.get(slug="physician")

    response = api.patch("/api/v1/roles/physician/", {"title_en": text}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["title_en"]
    role.refresh_from_db()
    assert role.title_en == "Physician"


def test_the_error_names_the_character_and_where_it_comes_from(api, kb):
    response = api.patch(
        "/api/v1/roles/physician/", {"summary_en": "Treats\x0bpatients."}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.json()["errors"]["summary_en"] == [
        "Remove the invisible control character (U+000B); it cannot be shown or printed. "
        "Text pasted from a word processor often carries one."
    ]


def test_the_edit_page_shows_the_error_next_to_the_field(editor_client, kb):
    page = editor_client.get("/roles/physician/edit/")
    data = form_payload(page.context["form"], page.context["titles"], title_en="Physi\u202ecian")

    response = editor_client.post("/roles/physician/edit/", data)

    assert response.status_code == 200
    assert "text-direction character (U+202E)" in response.context["form"].errors["title_en"][0]
    assert Role.objects.get(slug="physician").title_en == "Physician"


def test_line_breaks_and_tabs_are_ordinary_text(api, kb):
    response = api.patch(
        "/api/v1/roles/physician/", {"summary_en": "Treats patients.\n\tOn call\r\n"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "field", "limit"),
    [
        ("/api/v1/roles/physician/", "summary_en", 1000),
        ("/api/v1/roles/physician/", "description_nb", 5000),
        ("/api/v1/roles/physician/", "excerpt", 2000),
    ],
)
def test_every_text_has_a_length_limit_the_api_states(api, kb, url, field, limit):
    too_long = api.patch(url, {field: "x" * (limit + 1)}, format="json", HTTP_IF_MATCH="*")
    at_limit = api.patch(url, {field: "x" * limit, "editorial": True}, format="json", HTTP_IF_MATCH="*")

    assert too_long.status_code == 400
    assert field in too_long.json()["errors"]
    assert at_limit.status_code in (200, 400)  # an excerpt at the limit still has to occur in its source
    if field != "excerpt":
        assert at_limit.status_code == 200


def test_a_duty_description_over_its_limit_is_refused(api, kb):
    response = api.post(
        "/api/v1/duties/",
        {
            "role": "physician",
            "category": "clinical",
            "title_en": "Long",
            "description_en": "y" * 2001,
            "editorial": True,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "description_en" in response.json()["errors"]


def test_no_role_may_take_the_address_of_the_new_role_page(api, kb):
    response = api.post(
        "/api/v1/roles/",
        {"slug": "new", "title_en": "New", "title_nb": "Ny", "level": "clinician", "editorial": True},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["slug"] == ["This address is reserved; choose another slug."]


def test_json_nested_deeper_than_the_parser_goes_is_a_400(api, kb):
    body = "[" * 100_000 + "]" * 100_000

    response = api.generic("POST", "/api/v1/duties/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested too deeply."


def test_import_kb_reports_a_file_nested_too_deeply(tmp_path, db):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_kb", str(path))


def test_import_kb_refuses_text_with_a_nul_character_and_imports_nothing(tmp_path, kb):
    document = json.loads(call_command_output("export_kb"))
    document["roles"][0]["summary_en"] = "Leads\x00 the medical staff."
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(document))
    before = Role.objects.get(slug=document["roles"][0]["slug"]).summary_en

    with pytest.raises(CommandError, match="U\\+0000"):
        call_command("import_kb", str(path), "--replace")

    assert Role.objects.get(slug=document["roles"][0]["slug"]).summary_en == before


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
