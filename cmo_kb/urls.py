"""Site map. Pages are in English at the root and in Norwegian under /nb/; the API is unprefixed."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import bench, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include("cmo_kb.api")),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.KB_BENCH_FLOOR:  # the benchmark's reference view, never routed in normal operation
    urlpatterns.append(path("bench/floor/", bench.floor, name="bench-floor"))

urlpatterns += i18n_patterns(
    path("", include("descriptions.urls")),
    path("", include("roles.urls")),
    path("", include("responsibilities.urls")),
    path("", include("search.urls")),
    path("", include("sources.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    prefix_default_language=False,
)

# A database outage answers 503 + Retry-After instead of 500 (see views.server_error).
handler500 = "cmo_kb.views.server_error"
