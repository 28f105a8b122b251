"""The review workflow through the API: drafts, If-Match on the draft, problems for every refusal."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance.models import Draft, Publication
from roles.models import RoleFact


@pytest.fixture
def approver_api(approver):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=approver).key}")
    return client


def _patch_fact(token_client, cmo, text):
    fact = RoleFact.objects.filter(role=cmo).first()
    return fact, token_client.patch(
        f"/api/v1/facts/{fact.pk}/", {"text_en": text}, format="json", HTTP_IF_MATCH=f'"{fact.version}.0"'
    )


def test_a_write_goes_into_the_draft_and_readers_see_the_published_role(token_client, cmo, anon_client):
    fact, response = _patch_fact(token_client, cmo, "Drafted by API")

    assert response.status_code == 202
    assert response.json()["role"] == cmo.slug and response.json()["draft"]["changes"] == 1
    fact.refresh_from_db()
    assert fact.text_en != "Drafted by API"
    published = anon_client.get(f"/api/v1/roles/{cmo.slug}/").json()
    assert published["publication"] == 1 and published["review_due"]
    assert "Drafted by API" not in str(published)
    assert anon_client.get(f"/api/v1/roles/{cmo.slug}/?state=draft")["Content-Type"] == "application/problem+json"
    draft = token_client.get(f"/api/v1/roles/{cmo.slug}/?state=draft")
    assert draft.status_code == 200 and "Drafted by API" in str(draft.json()["facts"])
    assert draft["ETag"] == response["ETag"]


def test_submit_and_publish_with_the_drafts_etag(token_client, approver_api, cmo, anon_client):
    _fact, written = _patch_fact(token_client, cmo, "Published by API")
    etag = written["ETag"]

    no_match = token_client.post(f"/api/v1/roles/{cmo.slug}/submit/", {"note": "n"}, format="json")
    assert no_match.status_code == 428
    submitted = token_client.post(f"/api/v1/roles/{cmo.slug}/submit/", {"note": "n"}, format="json", HTTP_IF_MATCH=etag)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"

    by_editor = token_client.post(f"/api/v1/roles/{cmo.slug}/publish/", {}, format="json", HTTP_IF_MATCH=etag)
    assert by_editor.status_code == 403 and by_editor["Content-Type"] == "application/problem+json"
    stale = approver_api.post(f"/api/v1/roles/{cmo.slug}/publish/", {}, format="json", HTTP_IF_MATCH='"1.00"')
    assert stale.status_code == 412 and stale["Content-Type"] == "application/problem+json"
    published = approver_api.post(
        f"/api/v1/roles/{cmo.slug}/publish/", {"note": "ok"}, format="json", HTTP_IF_MATCH=etag
    )

    assert published.status_code == 201 and published.json()["number"] == 2
    assert "Published by API" in str(anon_client.get(f"/api/v1/roles/{cmo.slug}/").json()["facts"])
    listing = anon_client.get(f"/api/v1/roles/{cmo.slug}/publications/").json()
    assert [p["number"] for p in listing] == [2, 1]
    first = anon_client.get(f"/api/v1/roles/{cmo.slug}/publications/1/").json()
    assert "Published by API" not in str(first["role"]["facts"]) and first["publication"]["number"] == 1
    assert anon_client.get(f"/api/v1/roles/{cmo.slug}/publications/7/").status_code == 404


def test_return_needs_a_comment_and_an_approver(token_client, approver_api, cmo):
    _fact, written = _patch_fact(token_client, cmo, "To be returned")
    etag = written["ETag"]
    url = f"/api/v1/roles/{cmo.slug}/return/"
    assert approver_api.post(url, {"comment": ""}, format="json", HTTP_IF_MATCH=etag).status_code == 409
    returned = approver_api.post(url, {"comment": "Needs work"}, format="json", HTTP_IF_MATCH=etag)
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert Draft.objects.get(role=cmo).comment == "Needs work"


def test_publishing_nothing_is_a_problem(approver_api, cmo):
    response = approver_api.post(f"/api/v1/roles/{cmo.slug}/publish/", {}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert not Publication.objects.filter(role=cmo, number=2).exists()


def test_the_review_queue_is_for_approvers(token_client, approver_api, cmo):
    _patch_fact(token_client, cmo, "Queued")
    assert token_client.get("/api/v1/reviews/").status_code == 403
    queue = approver_api.get("/api/v1/reviews/").json()
    assert [d["role"] for d in queue["in_progress"]] == [cmo.slug] and queue["awaiting"] == []
