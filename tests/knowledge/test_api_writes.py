"""Creating, changing and deleting through the API goes through the shared write service."""

from responsibilities.models import Duty, DutyCategory
from roles.models import Role


def test_create_a_duty_returns_it_with_version_and_etag(token_client, editor, kb):
    response = token_client.post(
        "/api/v1/duties/",
        {"role": "physician", "category": "clinical", "title": "Keep patient records", "title_nb": "Føre journal",
         "editorial": True},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    duty = Duty.objects.get(pk=response.json()["id"])
    body = response.json()
    assert body.pop("created_at") == body.pop("updated_at")  # tests/knowledge/test_timestamps.py
    assert body == {
        "id": duty.pk, "role": "physician", "category": "clinical", "title": "Keep patient records",
        "title_en": "Keep patient records", "title_nb": "Føre journal", "description": "", "description_en": "",
        "description_nb": "", "involvement": "performs", "position": 0, "source": None, "excerpt": "",
        "editorial": True, "version": 1,
    }  # fmt: skip
    assert response["ETag"].startswith('"1.')
    history = duty.history.get()
    assert (history.history_user, history.history_type, history.history_change_reason) == (
        editor,
        "+",
        "Created through the API",
    )


def test_create_a_role_needs_both_language_titles(token_client, kb):
    response = token_client.post(
        "/api/v1/roles/", {"slug": "chief-nursing-officer", "title": "Chief Nursing Officer", "level": "executive",
                           "editorial": True}, format="json")  # fmt: skip

    assert response.status_code == 400
    assert response.json()["errors"] == {"title_nb": ["This field cannot be blank."]}


def test_create_a_role_and_address_it_by_slug(token_client, kb):
    body = {"slug": "chief-nursing-officer", "title_en": "Chief Nursing Officer", "title_nb": "Sjefsykepleier",
            "level": "executive", "editorial": True}  # fmt: skip

    response = token_client.post("/api/v1/roles/", body, format="json")

    assert response.status_code == 201
    assert response.json()["url"] == "http://testserver/api/v1/roles/chief-nursing-officer/"
    assert token_client.get("/api/v1/roles/chief-nursing-officer/").json()["title_nb"] == "Sjefsykepleier"


def test_duplicate_slug_is_a_field_error(token_client, kb):
    response = token_client.post(
        "/api/v1/duty-categories/", {"slug": "clinical", "name_en": "X", "name_nb": "X"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["duty category with this slug already exists."]}


def test_update_records_who_changed_it(token_client, editor, kb):
    response = token_client.patch("/api/v1/roles/physician/", {"abbreviation_en": "MD", "version": 1}, format="json")

    assert response.status_code == 200
    role = Role.objects.get(slug="physician")
    assert (role.abbreviation_en, role.version) == ("MD", 2)
    assert role.history.first().history_user == editor


def test_delete_a_role_removes_its_rows(token_client, kb):
    response = token_client.delete("/api/v1/roles/physician/", {"version": 1}, format="json")

    assert response.status_code == 204
    assert not Role.objects.filter(slug="physician").exists()
    assert not Duty.objects.filter(role__slug="physician").exists()


def test_delete_an_unused_category(token_client, kb):
    token_client.post("/api/v1/duty-categories/", {"slug": "research", "name_en": "R", "name_nb": "F"}, format="json")

    response = token_client.delete("/api/v1/duty-categories/research/", HTTP_IF_MATCH="*")

    assert response.status_code == 204
    assert not DutyCategory.objects.filter(slug="research").exists()


def test_a_citation_must_quote_its_source_or_be_editorial(token_client, kb):
    response = token_client.post(
        "/api/v1/titles/", {"role": "physician", "language": "en", "title": "Medic"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "editorial": ["A fact without a source must be marked as editorial (written by the team)."]
    }


def test_every_create_answers_with_the_new_resource_s_absolute_location(token_client, kb):
    role = token_client.post(
        "/api/v1/roles/",
        {"slug": "porter", "title": "Porter", "title_nb": "Portør", "level": "clinician", "editorial": True},
        format="json",
    )
    duty = token_client.post(
        "/api/v1/duties/",
        {"role": "porter", "category": "clinical", "title": "Carry", "title_nb": "Bære", "editorial": True},
        format="json",
    )

    assert (role.status_code, role["Location"]) == (201, "http://testserver/api/v1/roles/porter/")
    assert (duty.status_code, duty["Location"]) == (201, f"http://testserver/api/v1/duties/{duty.json()['id']}/")
    assert token_client.get(duty["Location"]).status_code == 200


def test_isco_codes_is_the_list_form_of_the_deprecated_occupation_codes(token_client, kb):
    created = token_client.post(
        "/api/v1/roles/",
        {"slug": "porter", "title": "Porter", "title_nb": "Portør", "level": "clinician", "editorial": True,
         "isco_codes": ["5329", "9629"]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201
    assert (created.json()["isco_codes"], created.json()["occupation_codes"]) == (["5329", "9629"], "5329,9629")
    assert "Deprecation" not in created

    old_style = token_client.patch("/api/v1/roles/porter/", {"occupation_codes": "5329", "version": 1}, format="json")
    assert old_style.status_code == 200
    assert old_style.json()["isco_codes"] == ["5329"]
    assert old_style["Deprecation"] == "@1796428800"
    assert old_style["Link"] == '<http://testserver/api/v1/docs/>; rel="deprecation"'

    both = token_client.patch(
        "/api/v1/roles/porter/", {"occupation_codes": "5329", "isco_codes": ["9629"], "version": 2}, format="json"
    )
    bad = token_client.patch("/api/v1/roles/porter/", {"isco_codes": ["53"], "version": 2}, format="json")
    assert (both.status_code, list(both.json()["errors"])) == (400, ["isco_codes"])
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["isco_codes"])
