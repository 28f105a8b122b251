"""The REST API under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from responsibilities import api as responsibilities_api
from roles import api as roles_api

app_name = "api"

router = DefaultRouter()
router.register("roles", roles_api.RoleViewSet, basename="role")
router.register("titles", roles_api.RoleTitleViewSet, basename="title")
router.register("facts", roles_api.RoleFactViewSet, basename="fact")
router.register("qualifications", roles_api.QualificationViewSet, basename="qualification")
router.register("reporting-lines", roles_api.ReportingLineViewSet, basename="reporting-line")
router.register("sources", roles_api.SourceViewSet, basename="source")
router.register("duty-categories", responsibilities_api.DutyCategoryViewSet, basename="duty-category")
router.register("duties", responsibilities_api.DutyViewSet, basename="duty")

urlpatterns = [
    path("org-chart/", roles_api.org_chart, name="org-chart"),
    path("search/", responsibilities_api.search, name="search"),
    path("org-chart/tree/", roles_api.org_chart_tree, name="org-chart-tree"),
    path("export/", responsibilities_api.export_json, name="export"),
    path("export/roles.csv", responsibilities_api.export_roles_csv, name="export-roles-csv"),
    path("export/duties.csv", responsibilities_api.export_duties_csv, name="export-duties-csv"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
