"""Every response — pages, API, errors — carries the strict CSP and the other security headers."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("boom")


def ok_view(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", broken_view), path("ok/", ok_view)]
# As in the project's URLs; the branded 500 cannot link to pages this stand-in lacks, so it falls back.
handler500 = "cmo_kb.views.server_error"

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


# drf-spectacular's single-page Swagger UI view relaxes the opener policy itself (for OAuth2
# pop-ups); its split view (script as a separate same-origin file) does not. Either way the header
# is set and the page keeps every other protection.
OPENER_POLICY = {"/api/v1/docs/": {"unsafe-none", "same-origin"}}


def assert_security_headers(response, url=""):
    assert parse_csp(response.headers["Content-Security-Policy"]) == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] in OPENER_POLICY.get(url, {"same-origin"})
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/nb/", 200),
        ("/roles/chief-medical-officer/", 200),
        ("/nb/roles/medical-director/", 200),
        ("/roles/no-such-role/", 404),
        ("/no-such-page/", 404),
        ("/admin/login/", 200),
        ("/healthz", 200),
        ("/api/v1/", 200),
        ("/api/v1/roles/", 200),
        ("/api/v1/roles/chief-medical-officer/", 200),
        ("/api/v1/roles/no-such-role/", 404),
        ("/api/v1/org-chart/", 200),
        ("/api/v1/schema/", 200),
        ("/api/v1/docs/", 200),
    ],
)
def test_every_page_and_api_response_carries_the_security_headers(client, kb, url, status):
    response = client.get(url)

    assert response.status_code == status
    assert_security_headers(response, url)


def test_a_refused_write_carries_the_security_headers(client, kb):
    response = client.post("/api/v1/roles/", {"slug": "x"})

    assert response.status_code in (401, 403)
    assert_security_headers(response)


def test_a_method_not_allowed_page_carries_the_security_headers(client, kb):
    response = client.post("/")

    assert response.status_code in (403, 405)
    assert_security_headers(response)


@pytest.mark.urls("tests.cmo_kb.test_security_headers")
def test_a_server_error_page_carries_the_security_headers(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert_security_headers(response)


def test_pages_use_no_inline_script_or_style(client, kb):
    for url in ("/", "/nb/", "/roles/chief-medical-officer/", "/admin/login/"):
        html = client.get(url).content.decode()

        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
            # Scripts come from files; inline blocks may only be data (JSON, JSON-LD), which never runs.
            assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), (url, tag)
        assert " style=" not in html, url
        assert "<style" not in html, url
