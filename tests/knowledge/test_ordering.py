"""``?ordering=``: the listed fields sort, anything else is a 400 naming the allowed values (also in the schema)."""

import yaml


def test_a_listed_field_sorts_the_list(anon_client, kb):
    slugs = [row["slug"] for row in anon_client.get("/api/v1/roles/?ordering=-slug").json()["results"]]

    assert slugs == sorted(slugs, reverse=True)


def test_an_unknown_ordering_is_a_400_naming_the_allowed_values(anon_client, kb):
    response = anon_client.get("/api/v1/roles/?ordering=salary")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    (message,) = response.json()["errors"]["ordering"]
    assert message.startswith("Unknown ordering: salary. Use one of: ")
    assert "-position" in message and "slug" in message


def test_the_schema_lists_the_allowed_orderings(anon_client, kb):
    schema = yaml.safe_load(anon_client.get("/api/v1/schema/").content)
    parameters = schema["paths"]["/api/v1/roles/"]["get"]["parameters"]
    (ordering,) = [p for p in parameters if p["name"] == "ordering"]

    assert "-slug" in ordering["schema"]["items"]["enum"]
    assert "salary" not in ordering["schema"]["items"]["enum"]
