"""The cheaper middleware keeps its protections: the CSP header (and a view's own policy), ETag and 304."""

import hashlib
from unittest import mock

import pytest
from csp.constants import NONCE
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from cmo_kb.middleware import ContentSecurityPolicyMiddleware, HashedConditionalGetMiddleware


def _page(request):
    return HttpResponse(b"<p>page</p>")


@csp_update({"img-src": ["https://images.example"]})
def _page_with_its_own_policy(request):
    return HttpResponse(b"<p>page</p>")


def _csp(view, path="/", middleware_class=ContentSecurityPolicyMiddleware):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request))


def test_every_response_gets_the_site_policy(settings):
    header = _csp(_page)["Content-Security-Policy"]

    assert "default-src 'self'" in header
    assert "object-src 'none'" in header


def test_a_view_with_a_policy_of_its_own_still_gets_it():
    header = _csp(_page_with_its_own_policy)["Content-Security-Policy"]

    assert "https://images.example" in header


def test_a_changed_policy_is_used_at_once(settings):
    middleware = ContentSecurityPolicyMiddleware(_page)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    before = middleware.process_response(request, _page(request))["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    middleware.process_request(request)

    after = middleware.process_response(request, _page(request))["Content-Security-Policy"]

    assert "default-src 'self'" in before
    assert after == "default-src 'none'"


def _page_with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@pytest.mark.parametrize("view", [_page, _page_with_its_own_policy, _page_with_nonce])
@pytest.mark.parametrize("nonce_in_policy", [False, True])
def test_the_header_is_the_one_django_csp_writes(settings, view, nonce_in_policy):
    if nonce_in_policy:
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": ["'self'", NONCE]}}
    headers = []
    for middleware_class in (ContentSecurityPolicyMiddleware, CSPMiddleware):
        with mock.patch("os.urandom", return_value=b"0" * 16):  # the same nonce for both
            headers.append(_csp(view, middleware_class=middleware_class)["Content-Security-Policy"])

    assert headers[0] == headers[1]


def test_a_body_gets_an_etag_and_a_matching_request_a_304():
    middleware = HashedConditionalGetMiddleware(_page)
    response = middleware(RequestFactory().get("/"))
    etag = response["ETag"]

    again = middleware(RequestFactory().get("/", HTTP_IF_NONE_MATCH=etag))

    assert etag == '"' + hashlib.sha256(b"<p>page</p>").hexdigest()[:32] + '"'
    assert again.status_code == 304
