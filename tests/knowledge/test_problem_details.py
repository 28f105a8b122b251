"""Every bad request gets a 4xx problem+json (RFC 9457) with field-level messages; never a 5xx."""

import pytest
from django.test import RequestFactory, override_settings

from knowledge.problems import ApiProblemMiddleware
from responsibilities.models import Duty
from roles.models import ReportingLine, Role

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status, type_):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert (body["status"], body["type"]) == (status, f"/api/v1/problems/{type_}")
    return body


def test_malformed_json_is_a_400_problem(token_client, kb):
    response = token_client.generic("PATCH", "/api/v1/roles/physician/", '{"title": ', content_type="application/json")

    body = assert_problem(response, 400, "invalid")
    assert body["detail"].startswith("JSON parse error")
    assert body["instance"] == "/api/v1/roles/physician/"


def test_wrong_types_name_each_field(token_client, kb):
    response = token_client.patch(
        "/api/v1/roles/physician/", {"position": "first", "editorial": "perhaps", "version": 1}, format="json"
    )

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"position": ["A valid integer is required."], "editorial": ["Must be a valid boolean."]}


def test_unknown_fields_are_refused_not_dropped(token_client, kb):
    response = token_client.patch("/api/v1/roles/physician/", {"titel": "Typo", "version": 1}, format="json")

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"titel": ["Unknown field."]}
    assert Role.objects.get(slug="physician").version == 1


def test_a_body_that_is_not_an_object_is_a_400(token_client, kb):
    response = token_client.post("/api/v1/duties/", [1, 2], format="json")

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_huge_body_is_a_413_problem(token_client, kb):
    response = token_client.patch("/api/v1/roles/physician/", {"description": "x" * 5000, "version": 1}, format="json")

    assert_problem(response, 413, "too-large")
    assert Role.objects.get(slug="physician").description_en == ""


def test_unsupported_media_type_is_a_415_problem(token_client, kb):
    response = token_client.generic("POST", "/api/v1/duties/", "<duty/>", content_type="application/xml")

    assert_problem(response, 415, "unsupported-media-type")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/roles/no-such-role/",
        "/api/v1/roles/no-such-role/jsonld/",
        "/api/v1/duties/999999/",
        "/api/v1/duties/not-a-number/",
        "/api/v1/duty-categories/nope/",
        "/api/v1/no-such-endpoint/",
        "/api/v1/roles/white%20space/",
        "/api/v2/roles/",
    ],
)
def test_unknown_resources_are_404_problems(anon_client, kb, path):
    assert_problem(anon_client.get(path), 404, "not-found")


@pytest.mark.parametrize("number", ["0", "-1", "abc", "99"])
def test_bad_page_numbers_are_404_problems(anon_client, kb, number):
    assert_problem(anon_client.get(f"/api/v1/duties/?page={number}"), 404, "not-found")


@pytest.mark.parametrize("size", ["abc", "-5", "0", "", "null"])
def test_bad_page_size_is_a_400_problem(anon_client, kb, size):
    body = assert_problem(anon_client.get(f"/api/v1/duties/?page_size={size}"), 400, "invalid")

    assert body["errors"] == {"page_size": ["Enter a whole number from 1 to 200."]}


def test_page_size_picks_the_page_length(anon_client, kb):
    assert len(anon_client.get("/api/v1/duties/?page_size=20").json()["results"]) == 20


def test_bad_filter_values_are_400_problems_naming_the_filter(anon_client, kb):
    body = assert_problem(anon_client.get("/api/v1/duties/?involvement=sometimes"), 400, "invalid")

    assert body["errors"] == {"involvement": ["Select a valid choice. sometimes is not one of the available choices."]}


def test_unknown_selected_fields_are_a_400(anon_client, kb):
    body = assert_problem(anon_client.get("/api/v1/roles/?fields=slug,salary"), 400, "invalid")

    assert body["errors"] == {"fields": ["Unknown fields: salary."]}


def test_unknown_role_reference_is_a_field_error(token_client, kb):
    response = token_client.post(
        "/api/v1/duties/",
        {"role": "janitor", "category": "clinical", "title_en": "Mop", "title_nb": "Moppe", "editorial": True},
        format="json",
    )

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"role": ["Object with slug=janitor does not exist."]}


def test_cycle_closing_reporting_line_is_a_400_naming_the_cycle(token_client, kb):
    response = token_client.post(
        "/api/v1/reporting-lines/",
        {"subordinate": "chief-medical-officer", "superior": "physician", "kind": "reports_to", "editorial": True},
        format="json",
    )

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {
        "superior": [
            "This line would close a reporting cycle: Chief Medical Officer → Physician → Medical Director → "
            "Chief Medical Officer."
        ]
    }
    assert not ReportingLine.objects.filter(subordinate__slug="chief-medical-officer").exists()


def test_excerpt_not_in_its_source_is_a_field_error(token_client, kb):
    response = token_client.post(
        "/api/v1/duties/",
        {"role": "physician", "category": "clinical", "title_en": "X", "title_nb": "X",
         "source": "hva-gjor-en-medisinsk-sjef", "excerpt": "words the source never says"},
        format="json",
    )  # fmt: skip

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {
        "excerpt": ["This excerpt does not occur in “Hva gjør en medisinsk sjef?”. Quote the source word for word."]
    }


def test_model_rules_surface_as_field_errors(token_client, kb):
    response = token_client.patch("/api/v1/roles/physician/", {"occupation_codes": "22", "version": 1}, format="json")

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"occupation_codes": ["Enter four-digit ISCO-08 codes separated by commas."]}


def test_deleting_a_category_still_in_use_is_a_409(token_client, kb):
    response = token_client.delete("/api/v1/duty-categories/clinical/", HTTP_IF_MATCH="*")

    body = assert_problem(response, 409, "conflict")
    assert body["detail"] == "This is still used by other records (duties); remove those first."
    assert Duty.objects.filter(category__slug="clinical").exists()


def test_wrong_method_is_a_405_problem(token_client, kb):
    assert_problem(token_client.put("/api/v1/roles/", {}, format="json"), 405, "method-not-allowed")


def test_an_unexpected_error_under_the_api_is_a_500_problem_not_html():
    request = RequestFactory().get("/api/v1/roles/")
    middleware = ApiProblemMiddleware(lambda request: None)

    response = middleware.process_exception(request, RuntimeError("boom"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert b"boom" not in response.content


def test_pages_outside_the_api_keep_their_html_errors(client, db):
    response = client.get("/roles/no-such-role/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("query", ["search=a%00b", "role=%00", "ordering=%00", "fields=slug%00"])
def test_nul_characters_in_the_query_are_a_400(anon_client, kb, query):
    assert_problem(anon_client.get(f"/api/v1/duties/?{query}"), 400, "invalid")


def test_nul_characters_in_a_body_are_a_field_error(token_client, kb):
    response = token_client.post(
        "/api/v1/duties/", {"role": "physician", "category": "clinical", "title_en": "X", "title_nb": "X",
                            "source": "a\x00b", "excerpt": "x"}, format="json")  # fmt: skip

    body = assert_problem(response, 400, "invalid")
    assert body["errors"] == {"source": ["Null characters are not allowed."]}
