"""The JSON-LD endpoint answers in the media types its schema documents."""


def test_the_schema_documents_json_ld_and_plain_json(client, kb):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    content = schema["paths"]["/api/v1/roles/{slug}/jsonld/"]["get"]["responses"]["200"]["content"]

    assert set(content) == {"application/ld+json", "application/json"}


def test_format_json_returns_the_same_document_as_plain_json(client, kb):
    linked = client.get("/api/v1/roles/physician/jsonld/")
    plain = client.get("/api/v1/roles/physician/jsonld/?format=json")

    assert linked["Content-Type"] == "application/ld+json"
    assert plain["Content-Type"] == "application/json"
    assert plain.json() == linked.json()


def test_an_accept_header_it_cannot_satisfy_gets_the_documented_406(client, kb):
    schema = client.get("/api/v1/schema/?format=json").json()

    response = client.get("/api/v1/roles/physician/jsonld/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert "406" in schema["paths"]["/api/v1/roles/{slug}/jsonld/"]["get"]["responses"]
