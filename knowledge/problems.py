"""Every API error in one shape: RFC 9457 problem details (``application/problem+json``).

DRF's own errors go through ``exception_handler`` (set as EXCEPTION_HANDLER);
errors Django raises before or outside a DRF view under /api/ (unknown URL, a
body over DATA_UPLOAD_MAX_MEMORY_SIZE, an unhandled exception) are rewritten by
``ApiProblemMiddleware``, so no client ever sees an HTML error page from the API.
"""

import json
import logging

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError as DjangoValidationError,
)
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"
API_PREFIX = "/api/"

logger = logging.getLogger(__name__)

# One stable problem type per kind of failure, so clients can branch on ``type`` rather than text.
TITLES = {
    400: ("invalid", "The request is not valid."),
    401: ("not-authenticated", "Authentication is required."),
    403: ("forbidden", "You do not have permission to do this."),
    404: ("not-found", "Not found."),
    405: ("method-not-allowed", "Method not allowed."),
    406: ("not-acceptable", "Not acceptable."),
    409: ("conflict", "The request conflicts with the current state."),
    412: ("precondition-failed", "The resource has changed since you read it."),
    413: ("too-large", "The request body is too large."),
    415: ("unsupported-media-type", "Unsupported media type."),
    428: ("precondition-required", "Say which version you are changing."),
    429: ("throttled", "Too many requests."),
    500: ("server-error", "Internal server error."),
    503: ("unavailable", "The service is briefly unavailable. Please try again in a few seconds."),
}


class PreconditionFailed(exceptions.APIException):
    """A stale ``If-Match``: the row changed since the client read it."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send an If-Match header with the ETag you read, or the version you read in the body."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the server accepts."
    default_code = "too_large"


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API (its errors are problem+json, never an HTML page)."""
    return request.path_info.startswith(API_PREFIX)


def problem(status_code: int, *, detail: str = "", instance: str = "", errors=None, **extra) -> dict:
    slug, title = TITLES.get(status_code, ("error", "Error."))
    body = {"type": f"{TYPE_BASE}{slug}", "title": _(title), "status": status_code, "detail": detail or _(title)}
    body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(status_code: int, request, **kwargs) -> HttpResponse:
    """A problem as a plain Django response, for errors raised outside DRF views."""
    body = problem(status_code, instance=request.get_full_path(), **kwargs)
    return HttpResponse(json.dumps(body), status=status_code, content_type=MEDIA_TYPE)


def django_errors(error: DjangoValidationError) -> dict:
    """A Django ValidationError as field → messages (``non_field_errors`` for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def _as_api_exception(exc):
    if isinstance(exc, ObjectDoesNotExist):
        # The row went away while the request ran (deleted by a concurrent request).
        return exceptions.NotFound(_("This was deleted in the meantime."))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_errors(exc))
    if isinstance(exc, ProtectedError):
        names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        return Conflict(
            _("This is still used by other records (%(names)s); remove those first.") % {"names": ", ".join(names)}
        )
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc) or None)
    return exc


def _detail_and_errors(data):
    """Split DRF's error data into a one-line ``detail`` and field-level ``errors``."""
    if isinstance(data, dict) and set(data) == {"detail"}:
        return str(data["detail"]), None
    if isinstance(data, list):
        return " ".join(str(item) for item in data), {"non_field_errors": [str(item) for item in data]}
    if isinstance(data, dict):
        return _("Some fields are not valid; see errors."), data
    return str(data), None


def exception_handler(exc, context):
    """DRF's handler, answering in problem+json and turning Django's own errors into 4xx."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    detail, errors = _detail_and_errors(response.data)
    extra = getattr(exc, "problem_extra", {})
    body = problem(
        response.status_code,
        detail=detail,
        instance=request.get_full_path() if request is not None else "",
        errors=errors,
        **extra,
    )
    return Response(body, status=response.status_code, headers=dict(response.headers), content_type=MEDIA_TYPE)


def _has_nul(request) -> bool:
    return "\x00" in request.path or any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    )


class ApiProblemMiddleware:
    """Under /api/, answer Django-level errors (404, 413, 500, …) as problem+json too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request) and _has_nul(request):
            # PostgreSQL cannot store or compare text with NUL characters; refuse them up front.
            return problem_response(400, request, detail=_("The URL contains a NUL character."))
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(MEDIA_TYPE):
            return response
        return problem_response(response.status_code, request)

    def process_exception(self, request, exception):
        if not is_api_request(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return problem_response(413, request, detail=str(PayloadTooLarge.default_detail))
        if isinstance(exception, Http404):
            return problem_response(404, request)
        if isinstance(exception, SuspiciousOperation):
            return problem_response(400, request, detail=str(exception))
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return problem_response(500, request)
