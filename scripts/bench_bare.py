"""A bare Django application for ``make bench``: one view, no middleware, no database, no apps.

Served by gunicorn exactly like the project, it answers ``/bench/floor/?bytes=N`` with the same
constant body as the project's floor view; the gap between the two floors is what the project's
middleware costs every response before any view runs.
"""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

_BODIES: dict[int, bytes] = {}


def floor(request):
    try:
        size = min(max(int(request.GET.get("bytes", "0")), 0), 4 * 1024 * 1024)
    except ValueError:
        size = 0
    body = _BODIES.get(size)
    if body is None:
        body = _BODIES.setdefault(size, b"x" * size)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/", floor), path("healthz", floor)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-floor-only",  # noqa: S106 - signs nothing: no sessions, no forms
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)
django.setup()
application = get_wsgi_application()
