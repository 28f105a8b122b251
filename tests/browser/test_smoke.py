"""Proves the browser wiring: Playwright drives Chromium against Django's live server."""


def test_admin_login_page_loads(live_server, page):
    response = page.goto(f"{live_server.url}/admin/login/")

    assert response is not None
    assert response.ok
    assert "Log in" in page.title()
