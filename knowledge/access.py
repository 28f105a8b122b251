"""Who may read, and how often a client may ask for the expensive pages."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def kb_read_required(view):
    """Anyone may read while KB_PUBLIC_READ is on; otherwise readers must sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.KB_PUBLIC_READ and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


class PageThrottle(SimpleRateThrottle):
    """DRF's rate counting, for a page: per signed-in user, else per client address."""

    def __init__(self, scope: str):
        self.page_scope = scope
        self.scope = scope
        super().__init__()

    def get_rate(self):
        # Read when asked (DRF reads its rates once, at import), so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.page_scope)

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttled(scope: str):
    """Answer 429 (with Retry-After) when a client asks for this page more often than ``scope``'s rate allows.

    Rates are DRF's (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``), counted in the shared cache.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            throttle = PageThrottle(scope)
            if not throttle.allow_request(request, None):  # type: ignore[arg-type]  # a page, not an API view
                wait = max(1, round(throttle.wait() or 1))
                response = render(request, "429.html", {"wait": wait}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
