"""The OpenAPI schema validates without warnings and documents errors and headers; the docs work offline."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_schema_validates_with_no_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()


@pytest.fixture
def openapi(anon_client, db):
    response = anon_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_documents_problems_headers_and_conditional_requests(openapi):
    patch = openapi["paths"]["/api/v1/roles/{slug}/"]["patch"]
    get = openapi["paths"]["/api/v1/roles/{slug}/"]["get"]

    assert {"200", "400", "401", "403", "404", "409", "412", "413", "428", "429"} <= set(patch["responses"])
    assert patch["responses"]["412"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert {"If-None-Match", "fields", "lang"} <= {p["name"] for p in get["parameters"]}
    assert "ETag" in get["responses"]["200"]["headers"]
    assert "304" in get["responses"]
    assert set(openapi["components"]["schemas"]["Problem"]["properties"]) == {
        "type", "title", "status", "detail", "instance", "errors", "current_version",
    }  # fmt: skip


def test_schema_describes_enums(openapi):
    schemas = openapi["components"]["schemas"]

    assert schemas["LineKindEnum"]["enum"] == ["reports_to", "dotted", "oversees", "liaison"]
    assert schemas["LevelEnum"]["enum"] == ["executive", "senior_leader", "department_lead", "clinician"]


def test_swagger_ui_loads_its_assets_from_this_server_not_a_cdn(anon_client, db):
    response = anon_client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/") for url in assets), assets
    assert "<script>" not in html  # the split view serves its start-up script as a file (strict CSP)
    for url in assets:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert anon_client.get(url).status_code == 200, url
