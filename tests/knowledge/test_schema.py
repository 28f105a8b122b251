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


def _parameter(operation, name):
    return next(p for p in operation["parameters"] if p["name"] == name)


def test_schema_bounds_the_numbers_the_api_bounds(openapi):
    # Schema-valid page_size=0 and limit=0 were refused with 400: the schema now says what is valid.
    roles = openapi["paths"]["/api/v1/roles/"]["get"]
    search = openapi["paths"]["/api/v1/search/"]["get"]

    assert _parameter(roles, "page_size")["schema"] == {"type": "integer", "minimum": 1}
    assert _parameter(roles, "page")["schema"] == {"type": "integer", "minimum": 1}
    assert _parameter(search, "limit")["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_schema_lists_the_field_names_fields_takes(openapi):
    fields = _parameter(openapi["paths"]["/api/v1/titles/{id}/"]["get"], "fields")

    assert fields["style"] == "form" and fields["explode"] is False
    assert fields["schema"]["type"] == "array"
    assert {"id", "role", "title", "version"} <= set(fields["schema"]["items"]["enum"])
    assert "duties" not in fields["schema"]["items"]["enum"]


def test_reads_document_bodies_with_only_the_selected_fields(openapi):
    # With ?fields= a read leaves fields out, so its body may not claim them as required; writes keep them.
    schemas = openapi["components"]["schemas"]
    detail = openapi["paths"]["/api/v1/roles/{slug}/"]
    page = openapi["paths"]["/api/v1/roles/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert detail["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RoleDetailSelection"
    }
    assert "required" not in schemas["RoleDetailSelection"]
    assert schemas["RoleDetailSelection"]["properties"] == schemas["RoleDetail"]["properties"]
    rows = schemas[page["$ref"].rsplit("/", 1)[1]]["properties"]["results"]["items"]
    assert rows == {"$ref": "#/components/schemas/RoleSelection"}
    assert detail["patch"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Role"
    }
    assert "slug" in schemas["Role"]["required"]


def test_reads_need_no_credentials_while_public_read_is_on(openapi):
    # The schema named only token and session auth, so a client took them for a requirement.
    assert {} in openapi["paths"]["/api/v1/roles/"]["get"]["security"]
    assert {} in openapi["paths"]["/api/v1/roles/{slug}/jsonld/"]["get"]["security"]
    assert {} not in openapi["paths"]["/api/v1/roles/"]["post"]["security"]


def test_reads_need_credentials_when_public_read_is_off(client, editor, db, settings):
    settings.KB_PUBLIC_READ = False
    client.force_login(editor)

    openapi = client.get("/api/v1/schema/?format=json").json()

    assert {} not in openapi["paths"]["/api/v1/roles/"]["get"]["security"]


def test_schema_documents_the_http_servers_414_without_promising_a_body(openapi):
    # gunicorn answers an over-long request line with an HTML 414 before the app sees it (found by fuzzing).
    for operation in (openapi["paths"]["/api/v1/qualifications/"]["get"], openapi["paths"]["/api/v1/roles/"]["post"]):
        assert "content" not in operation["responses"]["414"]
        assert operation["responses"]["414"]["description"].startswith("URI Too Long")


def test_detail_paths_give_an_example_from_the_shipped_knowledge_base(openapi, anon_client, kb):
    # Without one, a fuzzer's detail requests nearly all ended in 404 ("missing test data").
    for path in ("/api/v1/roles/{slug}/", "/api/v1/duty-categories/{slug}/", "/api/v1/sources/{slug}/",
                 "/api/v1/titles/{id}/", "/api/v1/duties/{id}/"):  # fmt: skip
        (parameter,) = [p for p in openapi["paths"][path]["get"]["parameters"] if p["in"] == "path"]
        url = path.replace("{" + parameter["name"] + "}", str(parameter["example"]))
        assert anon_client.get(url).status_code == 200, url


def test_each_write_operation_has_its_own_summary_and_description(anon_client, kb):
    import yaml

    schema = yaml.safe_load(anon_client.get("/api/v1/schema/").content)
    seen = set()
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method in item:
                operation = item[method]
                assert operation.get("summary") and operation.get("description"), (path, method)
                seen.add((operation["summary"], operation["description"]))
    writes = sum(method in item for item in schema["paths"].values() for method in ("post", "put", "patch", "delete"))
    assert len(seen) == writes  # no two write operations described alike
