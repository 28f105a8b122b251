"""Who may do what: anonymous / signed in without rights / editor by session / editor by token,
for reads and each kind of write on every resource."""

import pytest
from django.test import override_settings
from django.utils.crypto import get_random_string

from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, RoleFact, RoleTitle

CMO_NB = "hva-gjor-en-medisinsk-sjef"


def _new_bodies():
    """A valid body for creating one row of each writable resource."""
    return {
        "roles": {"slug": "chief-nursing-officer", "title_en": "Chief Nursing Officer", "title_nb": "Sjefsykepleier",
                  "level": "executive",
                  "editorial": True},
        "titles": {"role": "physician", "language": "en", "kind": "alternative", "title": "Medic",
                   "editorial": True},
        "facts": {"role": "physician", "kind": "overview", "text": "Physicians treat patients.", "editorial": True},
        "qualifications": {"role": "physician", "kind": "skill", "text": "Listening.", "editorial": True},
        "reporting-lines": {"subordinate": "physician", "superior": "associate-chief-medical-officer",
                            "kind": "dotted", "editorial": True},
        "duty-categories": {"slug": "research", "name_en": "Research", "name_nb": "Forskning"},
        "duties": {"role": "physician", "category": "clinical", "title_en": "Keep records", "title_nb": "Føre journal",
                   "editorial": True},
    }  # fmt: skip


def _detail_paths(seed_id):
    return {
        "roles": "/api/v1/roles/physician/",
        "titles": f"/api/v1/titles/{seed_id(RoleTitle, 'title:physician.en.doctor')}/",
        "facts": f"/api/v1/facts/{RoleFact.objects.order_by('pk').first().pk}/",
        "qualifications": f"/api/v1/qualifications/{seed_id(Qualification, 'qualification:physician.q.licence')}/",
        "reporting-lines": f"/api/v1/reporting-lines/{seed_id(ReportingLine, 'line:physician-liaison-cmo')}/",
        "duty-categories": "/api/v1/duty-categories/community/",
        "duties": f"/api/v1/duties/{seed_id(Duty, 'duty:physician.d.diagnose-treat')}/",
    }


# A harmless change per resource for PATCH.
PATCHES = {
    "roles": {"abbreviation": "MD"},
    "titles": {"title": "Doc"},
    "facts": {"text": "Changed."},
    "qualifications": {"text": "A medical degree, or equivalent."},
    "reporting-lines": {"note": "Changed."},
    "duty-categories": {"description": "Changed."},
    "duties": {"description": "Changed."},
}
RESOURCES = list(PATCHES)


def _with_csrf(client):
    """Give a session client the CSRF cookie and header a browser would send."""
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    return {"HTTP_X_CSRFTOKEN": token}


def _client(who, request):
    return request.getfixturevalue({"anonymous": "anon_client", "reader": "reader_api_client", "session editor":
                                    "editor_api_client", "token editor": "token_client"}[who])  # fmt: skip


EXPECTED = {
    # who: (GET, POST, PATCH, DELETE)
    "anonymous": (200, 401, 401, 401),
    "reader": (200, 403, 403, 403),
    "session editor": (200, 201, 200, 204),
    "token editor": (200, 201, 200, 204),
}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix(who, resource, request, kb, seed_id):
    client = _client(who, request)
    headers = _with_csrf(client) if who == "session editor" else {}
    get, post, patch, delete = EXPECTED[who]
    path = _detail_paths(seed_id)[resource]
    version = client.get(path).json()["version"]

    assert client.get(f"/api/v1/{resource}/").status_code == get
    assert client.get(path).status_code == get
    assert client.post(f"/api/v1/{resource}/", _new_bodies()[resource], format="json", **headers).status_code == post
    assert client.patch(path, {**PATCHES[resource], "version": version}, format="json", **headers).status_code == patch
    if patch == 200:
        version += 1
    if resource == "duty-categories" and delete == 204:
        path = "/api/v1/duty-categories/research/"  # the one just created: nothing uses it yet
        version = 1
    assert client.delete(path, {"version": version}, format="json", **headers).status_code == delete


def test_anonymous_write_is_told_how_to_authenticate(anon_client, kb):
    response = anon_client.post("/api/v1/duties/", {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/problem+json"


def test_session_write_without_csrf_token_is_refused(editor_api_client, kb):
    response = editor_api_client.patch("/api/v1/roles/physician/", {"abbreviation": "MD", "version": 1}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_sources_are_never_changed_through_the_api_only_added(token_client, kb):
    assert token_client.get(f"/api/v1/sources/{CMO_NB}/").status_code == 200
    assert token_client.patch(f"/api/v1/sources/{CMO_NB}/", {"title": "x"}, format="json").status_code == 405
    assert token_client.put(f"/api/v1/sources/{CMO_NB}/", {"title": "x"}, format="json").status_code == 405
    assert token_client.delete(f"/api/v1/sources/{CMO_NB}/").status_code == 405
    # Adding one is allowed (tests/sources/test_api.py); an incomplete one is refused.
    assert token_client.post("/api/v1/sources/", {"slug": "x"}, format="json").status_code == 400


@override_settings(KB_PUBLIC_READ=False)
def test_reads_need_sign_in_when_public_read_is_off(anon_client, reader_api_client, kb):
    assert anon_client.get("/api/v1/roles/").status_code == 401
    assert anon_client.get("/api/v1/org-chart/").status_code == 401
    assert anon_client.get("/api/v1/export/").status_code == 401
    assert reader_api_client.get("/api/v1/roles/").status_code == 200
