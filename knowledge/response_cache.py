"""Whole-response caching of read pages and API responses, keyed by the knowledge base's version.

Every write to the content bumps one version number (``knowledge.version``); cache keys include it,
so a write makes every cached response unreachable at once, in every server process, with no
invalidation bookkeeping. A hit costs one primary-key query (the version) and no rendering.

What is cached: successful (200) GET responses of the knowledge base's pages and of the API
(views in a URL namespace other than ``admin``), only while anonymous reading is on
(``KB_PUBLIC_READ``) and ``KB_RESPONSE_CACHE`` is on. Never cached:

* pages for a request that carries a session or messages cookie — a signed-in user's page has
  their menu and CSRF token, and a pending message is per user;
* API requests with an ``Authorization`` header (the token is checked by the view, every time);
* responses that set a cookie, used the CSRF token, or say ``Cache-Control: private/no-store/no-cache``.

Keys: the release of the code (``KB_RELEASE``: a shared cache outlives a deploy), the version, the
path with its query string, the active language and, for the API, the
``Accept`` header (JSON and the browsable API differ). Responses without an ``ETag`` of their own
get one derived from the same version and key, so an ETag changes exactly when the content may.
Uses Django's default cache: local memory per process unless settings configure a shared one.

The pages read most are keyed by narrower versions (``SCOPED_VIEWS``, ``knowledge.version``): a
role's page, PDF and API detail by that role's version and the ``structure`` version, the org chart
by ``structure``, the directory by ``directory``; so an edit of one role's duty leaves every other
role's cached pages, the org chart and the directory in place. Everything else (search, lists,
the matrix, comparisons…) is keyed by the global version, which every write moves.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from . import version as kb_version

UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
SKIPPED_NAMESPACES = {"admin"}
# The API's own description does not depend on the content (and must load without a database).
SKIPPED_VIEWS = {"api:schema", "api:docs"}
HIT_HEADER = "X-KB-Cache"
logger = logging.getLogger(__name__)
ROLE_PAGES = {"descriptions:detail", "descriptions:pdf", "api:role-detail"}
STRUCTURE_PAGES = {
    "roles:org-chart",
    "roles:org-chart-svg",
    "roles:org-chart-graph",
    "api:org-chart",
    "api:org-chart-tree",
}
DIRECTORY_PAGES = {"descriptions:directory"}
SCOPED_VIEWS = ROLE_PAGES | STRUCTURE_PAGES | DIRECTORY_PAGES
# Costly to draw and asked for again: kept in the "documents" cache, which every process on a host shares.
DOCUMENT_VIEWS = {"descriptions:pdf"}


def _store(request):
    if request.resolver_match.view_name in DOCUMENT_VIEWS and "documents" in settings.CACHES:
        return caches["documents"]
    return cache


def _version(request) -> str:
    """The version the response depends on: its scopes' for the pages read most, else the global one."""
    match = request.resolver_match
    if match.view_name in ROLE_PAGES and "slug" in match.kwargs:
        return "r" + kb_version.scoped((kb_version.STRUCTURE, kb_version.role_scope(match.kwargs["slug"])))
    if match.view_name in STRUCTURE_PAGES:
        return "s" + kb_version.scoped((kb_version.STRUCTURE,))
    if match.view_name in DIRECTORY_PAGES:
        return "d" + kb_version.scoped((kb_version.DIRECTORY,))
    return str(kb_version.current())


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not (getattr(settings, "KB_RESPONSE_CACHE", True) and settings.KB_PUBLIC_READ):
        return False
    match = request.resolver_match
    if match is None or not match.namespaces or match.namespaces[0] in SKIPPED_NAMESPACES:
        return False
    if match.view_name in SKIPPED_VIEWS:
        return False
    if match.namespaces[0] == "api":
        return "HTTP_AUTHORIZATION" not in request.META
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def cache_key(request, version: str) -> str:
    api = request.resolver_match.namespaces[0] == "api"
    parts = [
        request.build_absolute_uri("/"),  # responses carry absolute URLs: one entry per scheme and host
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.META.get("HTTP_ACCEPT", "") if api else "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"kb-response:{settings.KB_RELEASE}:{version}:{digest}"


def _cacheable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & UNCACHEABLE_DIRECTIVES


class KnowledgeBaseCacheMiddleware:
    """Serve and store whole responses by knowledge-base version (place it last in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_kb_cache_key", None)
        if key is not None and not getattr(response, "_kb_cache_hit", False) and _cacheable(request, response):
            if not response.has_header("ETag"):
                response["ETag"] = f'"kb{request._kb_cache_version}-{settings.KB_RELEASE}-{key.rsplit(":", 1)[1][:12]}"'
            entry = (response.status_code, response.content, list(response.headers.items()))
            try:
                _store(request).set(key, entry, getattr(settings, "KB_RESPONSE_CACHE_TIMEOUT", 24 * 3600))
            except Exception:  # noqa: BLE001 - a full disk or a lost Redis: the page was drawn, so serve it
                logger.warning("Could not keep a response in the cache", exc_info=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _eligible(request):
            return None
        version = _version(request)
        key = cache_key(request, version)
        request._kb_cache_key, request._kb_cache_version = key, version
        try:
            hit = _store(request).get(key)
        except Exception:  # noqa: BLE001 - a cache that cannot answer is a miss: the view draws the page
            logger.warning("Could not read the response cache", exc_info=True)
            hit = None
        if hit is None:
            return None
        status, content, headers = hit
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        response[HIT_HEADER] = "hit"
        response._kb_cache_hit = True
        return response
