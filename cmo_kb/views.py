import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from knowledge.problems import is_api_request, problem_response

from .postgresql.base import wait_deadline

HEALTHZ_DEADLINE = 1.0


@require_safe
@never_cache
def healthz(request):
    """Liveness and database readiness for load balancers: 200 when the database answers, else 503.

    It waits at most ``HEALTHZ_DEADLINE`` seconds for the database, so a stalled one is reported
    as down quickly rather than when the probe itself times out.
    """
    try:
        with wait_deadline(HEALTHZ_DEADLINE), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def database_unavailable(request):
    """503 + Retry-After: the database cannot be reached right now (restart, fail-over).

    The request's transaction was rolled back, so nothing was half-written; the client
    is told to try again shortly instead of being shown a server error.
    """
    if is_api_request(request):
        response = problem_response(503, request)
    else:
        message = _("The service is briefly unavailable. Please try again in a few seconds.")
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = "5"
    return response


def server_error(request):
    """Unhandled errors: a database outage is a 503 the client should retry; anything else the branded 500."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    try:
        return defaults.server_error(request)
    except Exception:  # noqa: BLE001 - the branded page itself failed: answer plainly rather than not at all
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html; charset=utf-8")
