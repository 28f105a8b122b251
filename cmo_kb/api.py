"""The REST API under /api/v1/: each app's routes, gathered under one router and one schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from descriptions import api as descriptions_api
from knowledge import api as knowledge_api
from responsibilities import api as responsibilities_api
from roles import api as roles_api
from search import api as search_api
from sources import api as sources_api

app_name = "api"

APPS = [descriptions_api, roles_api, knowledge_api, responsibilities_api, search_api, sources_api]

router = DefaultRouter()
for app in APPS:
    for prefix, viewset, basename in getattr(app, "ROUTES", []):
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *(pattern for app in APPS for pattern in app.urlpatterns),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
