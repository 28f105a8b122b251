"""The REST API under /api/v1/: each app's routes, gathered under one router and one schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from descriptions import api as descriptions_api
from knowledge import api as knowledge_api, feed_api
from responsibilities import api as responsibilities_api
from roles import api as roles_api
from search import api as search_api
from sources import api as sources_api
from webhooks import api as webhooks_api

app_name = "api"

APPS = [descriptions_api, roles_api, knowledge_api, responsibilities_api, search_api, sources_api, webhooks_api]

# What the API root lists beside the routed resources: every other endpoint, by its URL name.
ROOT_EXTRAS = {
    "org-chart": "org-chart",
    "org-chart-tree": "org-chart-tree",
    "search": "search",
    "raci": "raci",
    "changes": "changes",
    "export": "export",
    "export-roles-csv": "export-roles-csv",
    "export-roles-xlsx": "export-roles-xlsx",
    "export-duties-csv": "export-duties-csv",
    "export-duties-xlsx": "export-duties-xlsx",
    "export-qualifications-csv": "export-qualifications-csv",
    "export-qualifications-xlsx": "export-qualifications-xlsx",
    "export-reporting-lines-csv": "export-reporting-lines-csv",
    "export-reporting-lines-xlsx": "export-reporting-lines-xlsx",
    "export-raci-csv": "export-raci-csv",
    "export-raci-xlsx": "export-raci-xlsx",
    "schema": "schema",
    "docs": "docs",
}


class Router(DefaultRouter):
    """The default router, whose root also lists the endpoints that are not routed resources."""

    def get_api_root_view(self, api_urls=None):
        listed = {prefix: self.routes[0].name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**listed, **ROOT_EXTRAS})


router = Router()
for app in APPS:
    for prefix, viewset, basename in getattr(app, "ROUTES", []):
        router.register(prefix, viewset, basename=basename)
        model = getattr(viewset, "queryset", None)
        if model is not None:  # the change feed links each changed row to its API address
            feed_api.register_detail_url(model.model, f"api:{basename}-detail", viewset.lookup_field or "pk")

urlpatterns = [
    *(pattern for app in APPS for pattern in app.urlpatterns),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
