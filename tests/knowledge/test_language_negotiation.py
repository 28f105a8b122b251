"""Content language: Accept-Language or ?lang= picks it, responses name it, plain fields write it."""

from roles.models import Role


def test_default_language_is_english_and_said_so(anon_client, kb):
    response = anon_client.get("/api/v1/roles/physician/?fields=title")

    assert response.json() == {"title": "Physician"}
    assert response["Content-Language"] == "en"


def test_accept_language_picks_norwegian(anon_client, kb):
    response = anon_client.get("/api/v1/roles/physician/?fields=title,title_en", HTTP_ACCEPT_LANGUAGE="nb")

    assert response.json() == {"title": "Lege", "title_en": "Physician"}
    assert response["Content-Language"] == "nb"


def test_lang_parameter_wins_over_accept_language(anon_client, kb):
    response = anon_client.get("/api/v1/duty-categories/clinical/?lang=nb&fields=name", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"name": "Klinisk praksis"}
    assert response["Content-Language"] == "nb"


def test_lists_and_org_chart_follow_the_language(anon_client, kb):
    nodes = anon_client.get("/api/v1/org-chart/?lang=nb").json()["nodes"]

    assert [node["title"] for node in nodes] == ["Medisinsk sjef", "Assisterende medisinsk sjef",
                                                 "Medisinsk direktør", "Lege"]  # fmt: skip


def test_writing_the_plain_field_writes_the_negotiated_language(token_client, kb):
    response = token_client.patch("/api/v1/roles/physician/?lang=nb", {"summary": "Ny tekst.", "version": 1})

    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    role = Role.objects.get(slug="physician")
    assert role.summary_nb == "Ny tekst."
    assert role.summary_en.startswith("A medical doctor.")


def test_per_language_fields_write_that_language(token_client, kb):
    response = token_client.patch(
        "/api/v1/roles/physician/", {"summary_en": "New.", "summary_nb": "Ny.", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["summary"], response.json()["summary_nb"]) == ("New.", "Ny.")


def test_plain_and_per_language_field_disagreeing_is_refused(token_client, kb):
    response = token_client.patch(
        "/api/v1/roles/physician/", {"summary": "One.", "summary_en": "Other.", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["summary"]
    assert Role.objects.get(slug="physician").version == 1


def test_unknown_lang_parameter_is_a_400_problem(anon_client, kb):
    response = anon_client.get("/api/v1/roles/?lang=de")

    assert response.status_code == 400
    assert response.json()["errors"] == {"lang": ["Choose one of: en, nb."]}
