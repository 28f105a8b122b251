"""The API docs page (Swagger UI) renders under the site's strict Content-Security-Policy, with no console error."""

from playwright.sync_api import expect


def test_the_api_docs_render_without_a_csp_error(live_server, page, kb):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(f"{live_server.url}/api/v1/docs/")

    assert "style-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Medical Roles KB API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/changes/").first).to_be_visible()
    page.wait_for_timeout(500)  # a violation is reported after the first paint
    assert errors == []
