import hashlib
import logging
import re
import uuid

from csp.constants import HEADER as CSP_HEADER, HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext as _

from knowledge.problems import is_api_request, problem_response

from .logging import request_id_var
from .postgresql.base import wait_deadline
from .views import database_unavailable

logger = logging.getLogger(__name__)


class ApiLanguageMiddleware:
    """Content language for the API: ``?lang=`` first, then the Accept-Language header.

    LocaleMiddleware gives every unprefixed URL the default language (pages use the
    /nb/ prefix instead), so API requests are negotiated here, after it. An unknown
    ``?lang=`` is a 400 rather than silently answered in another language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        if not is_api_request(request):
            return self.get_response(request)
        lang = request.GET.get("lang")
        if lang is not None and lang not in self.languages:
            return problem_response(
                400,
                request,
                detail=_("Unknown language."),
                errors={"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(self.languages))}]},
            )
        if lang is None:
            lang = translation.get_language_from_request(request, check_path=False)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers["Content-Language"] = lang
        patch_vary_headers(response, ["Accept-Language"])
        return response


class RequestIdMiddleware:
    """Give every request an id: the proxy's ``X-Request-ID`` when it is sane, else a new one.

    The id is on ``request.request_id``, in every log record (see cmo_kb.logging) and
    on the response's ``X-Request-ID`` header. Runs first, so even errors raised by
    later middleware are logged with it.
    """

    VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: building the headers mapping cost more than the rest of this class.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if self.VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response


class DatabaseDeadlineMiddleware:
    """Every wait for a PostgreSQL answer during the request ends at ``DB_QUERY_DEADLINE`` seconds.

    A wait that runs out raises ``OperationalError``, which ``DatabaseUnavailableMiddleware``
    answers with 503 + Retry-After; the transaction it interrupted is never committed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with wait_deadline(settings.DB_QUERY_DEADLINE):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503 + Retry-After, not 500.

    Last in MIDDLEWARE, so it sees the view's exception before any other middleware turns it
    into a generic error; failures outside views reach ``handler500``, which does the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            # One line, no traceback (an outage fails every request), but with the cause: a 503 that
            # is no outage (a lock wait, a driver error) must be told apart from one that is.
            logger.warning(
                "Database error in %s %s: %s: %s", request.method, request.path, type(exception).__name__, exception
            )
            return database_unavailable(request)
        return None


# What a view or decorator sets to change the policy of one response (django-csp's decorators).
_CSP_CUSTOM = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once instead of on every response.

    Building the header (copying and joining every directive, twice: enforced and report-only) was
    the costliest step of the whole middleware chain. The built strings are kept until the settings
    hold another policy object; a response with a policy of its own (django-csp's decorators), a
    request that used a nonce, or excluded URL prefixes take django-csp's own path unchanged.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: dict[str, tuple[object, str]] = {}

    def _site_policy(self, name: str) -> str:
        current = getattr(settings, name, None)
        built = self._built.get(name)
        if built is None or built[0] is not current:
            built = (current, build_policy(report_only=name.endswith("REPORT_ONLY")))
            self._built[name] = built
        return built[1]

    def process_response(self, request, response):
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_CUSTOM)
            or enforced.get("EXCLUDE_URL_PREFIXES")
            or report_only.get("EXCLUDE_URL_PREFIXES")
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if enforced and CSP_HEADER not in response:
            policy = self._site_policy("CONTENT_SECURITY_POLICY")
            if policy:
                response.headers[CSP_HEADER] = policy
        if report_only and CSP_HEADER_REPORT_ONLY not in response:
            policy = self._site_policy("CONTENT_SECURITY_POLICY_REPORT_ONLY")
            if policy:
                response.headers[CSP_HEADER_REPORT_ONLY] = policy
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class HashedConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (ETag, 304), hashing bodies with SHA-256 rather than MD5.

    A response without an ETag of its own gets one from its body; SHA-256 runs in hardware on current
    processors and takes about half MD5's time on a page-sized body. Cached responses carry their ETag.
    """

    def process_response(self, request, response):
        if request.method == "GET" and self.needs_etag(response) and not response.has_header("ETag"):
            response.headers["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        return super().process_response(request, response)
