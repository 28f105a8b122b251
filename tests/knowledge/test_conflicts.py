"""ETags, conditional GET and the optimistic-concurrency rule for writes."""

from responsibilities.models import Duty
from roles.models import Role


def test_every_detail_response_carries_an_etag_naming_the_row_version(anon_client, kb, seed_id):
    duty = seed_id(Duty, "duty:physician.d.best-care")
    for path in (
        "/api/v1/roles/physician/",
        f"/api/v1/duties/{duty}/",
        "/api/v1/duty-categories/clinical/",
        "/api/v1/sources/hva-gjor-en-medisinsk-sjef/",
        "/api/v1/roles/physician/jsonld/",
    ):
        response = anon_client.get(path)
        assert response.status_code == 200, path
        assert response["ETag"].startswith('"1.'), path


def test_lists_carry_an_etag_too(anon_client, kb):
    for path in ("/api/v1/roles/", "/api/v1/duties/", "/api/v1/org-chart/", "/api/v1/org-chart/tree/"):
        assert anon_client.get(path)["ETag"].startswith('"'), path


def test_if_none_match_with_the_current_etag_gives_304_without_a_body(anon_client, kb):
    etag = anon_client.get("/api/v1/roles/physician/")["ETag"]

    response = anon_client.get("/api/v1/roles/physician/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_none_match_on_a_list_gives_304(anon_client, kb):
    etag = anon_client.get("/api/v1/duties/?role=physician")["ETag"]

    assert anon_client.get("/api/v1/duties/?role=physician", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_etag_changes_when_a_nested_row_changes(anon_client, token_client, kb, seed_id):
    before = anon_client.get("/api/v1/roles/physician/")["ETag"]
    duty = seed_id(Duty, "duty:physician.d.best-care")
    assert token_client.patch(f"/api/v1/duties/{duty}/", {"description": "New.", "version": 1}).status_code == 200

    response = anon_client.get("/api/v1/roles/physician/", HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert response["ETag"] != before


def test_etag_differs_between_languages(anon_client, kb):
    english = anon_client.get("/api/v1/roles/physician/")["ETag"]
    norwegian = anon_client.get("/api/v1/roles/physician/?lang=nb")["ETag"]

    assert english != norwegian
    assert anon_client.get("/api/v1/roles/physician/?lang=nb", HTTP_IF_NONE_MATCH=english).status_code == 200


def test_write_with_current_if_match_succeeds_and_returns_the_new_etag(token_client, kb):
    etag = token_client.get("/api/v1/roles/physician/")["ETag"]

    response = token_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"].startswith('"2.')


def test_write_with_stale_if_match_gets_412_and_changes_nothing(token_client, kb):
    stale = token_client.get("/api/v1/roles/physician/")["ETag"]
    token_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD"}, HTTP_IF_MATCH=stale)

    response = token_client.patch("/api/v1/roles/physician/", {"abbreviation": "DR"}, HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "/api/v1/problems/precondition-failed",
        "title": "The resource has changed since you read it.",
        "status": 412,
        "detail": "Someone else saved this in the meantime (version 2, you edited version 1).",
        "instance": "/api/v1/roles/physician/",
        "current_version": 2,
    }
    role = Role.objects.get(slug="physician")
    assert (role.abbreviation_en, role.version) == ("MD", 2)


def test_delete_with_stale_if_match_gets_412_and_deletes_nothing(token_client, kb, seed_id):
    duty = seed_id(Duty, "duty:physician.d.best-care")
    stale = token_client.get(f"/api/v1/duties/{duty}/")["ETag"]
    token_client.patch(f"/api/v1/duties/{duty}/", {"description": "New."}, HTTP_IF_MATCH=stale)

    response = token_client.delete(f"/api/v1/duties/{duty}/", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert Duty.objects.filter(pk=duty).exists()


def test_if_match_that_is_not_an_etag_of_ours_gets_412(token_client, kb):
    response = token_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD"}, HTTP_IF_MATCH='"nonsense"')

    assert response.status_code == 412
    assert Role.objects.get(slug="physician").version == 1


def test_write_without_if_match_or_version_gets_428(token_client, kb, seed_id):
    duty = seed_id(Duty, "duty:physician.d.best-care")

    patch = token_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD"}, format="json")
    delete = token_client.delete(f"/api/v1/duties/{duty}/")

    assert patch.status_code == 428
    assert patch.json()["type"] == "/api/v1/problems/precondition-required"
    assert delete.status_code == 428
    assert Role.objects.get(slug="physician").abbreviation_en == ""
    assert Duty.objects.filter(pk=duty).exists()


def test_write_with_stale_version_in_the_body_gets_409_and_changes_nothing(token_client, kb):
    token_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD", "version": 1}, format="json")

    response = token_client.patch("/api/v1/roles/physician/", {"abbreviation": "DR", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Role.objects.get(slug="physician").abbreviation_en == "MD"


def test_put_replaces_with_version_in_the_body(token_client, kb):
    body = token_client.get("/api/v1/duty-categories/clinical/").json()
    body["description"] = body["description_en"] = "Assessment and treatment."

    response = token_client.put("/api/v1/duty-categories/clinical/", body, format="json")

    assert response.status_code == 200
    assert response.json()["description_en"] == "Assessment and treatment."
    assert response.json()["version"] == 2
