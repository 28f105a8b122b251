"""The API root lists every endpoint with its absolute address, and each one answers."""


def test_the_api_root_lists_every_endpoint_and_each_answers(anon_client, kb):
    root = anon_client.get("/api/v1/").json()

    for name in ("roles", "duties", "org-chart", "search", "changes", "export", "export-roles-xlsx",
                 "export-reporting-lines-csv", "raci", "schema", "docs", "webhooks"):  # fmt: skip
        assert root[name].startswith("http://testserver/api/v1/"), name
    for name, url in root.items():
        if name in ("webhooks",):
            continue  # administrators only
        status = anon_client.get(url, HTTP_ACCEPT="*/*").status_code
        assert status in (200, 400), (name, status)  # search without ?q= explains itself
