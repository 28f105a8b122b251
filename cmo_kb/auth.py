"""Sign-in protection: django-axes wiring.

Every sign-in over HTTP (the login page, the admin, DRF's token and basic
authentication) passes the request to ``authenticate()``, so axes can count
failures per username and client address. Calls without a request (a management
command, the test client's ``login()``) are not sign-ins from the network and are
left to the other backends instead of being refused outright.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' per username-and-address lockout, plus a limit per username across all addresses.

    Guessing one account's password from many addresses, a few tries each, stays under the
    per-address limit; ``KB_LOGIN_USERNAME_FAILURE_LIMIT`` failures for a username within the
    cool-off period, from anywhere, lock that username for the cool-off period too.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if username and failures_for_username(username) >= settings.KB_LOGIN_USERNAME_FAILURE_LIMIT:
            request.axes_locked_out = True  # the axes middleware answers with the lockout page
            request.kb_locked_username = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins for this username")
        return super().authenticate(request, username=username, password=password, **kwargs)


def failures_for_username(username: str) -> int:
    """Failed sign-ins for ``username`` from every address within the cool-off period."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def client_ip(request) -> str | None:
    """The client's address as seen by the outermost trusted proxy.

    With ``DJANGO_TRUSTED_PROXY_COUNT=n`` (n proxies in front of the app, each
    appending to X-Forwarded-For), the address is the n-th entry from the right:
    entries further left were written by the client and can be forged.
    Without trusted proxies it is the connection's address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a username + address is locked out."""
    cooloff = get_cool_off(request)
    context = {
        "across_addresses": getattr(request, "kb_locked_username", False),
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": max(1, round(cooloff.total_seconds() / 60)) if cooloff else None,
    }
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
