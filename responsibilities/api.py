"""The API of duties and duty categories, and duties.csv."""

from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework.decorators import api_view

from knowledge.apitools import ContentViewSet, download
from knowledge.table_api import table_urls
from roles.api import RoleRowFilter

from . import exports, raci_api, serializers as s
from .models import Duty, DutyCategory


class DutyCategoryViewSet(ContentViewSet):
    lookup_field = "slug"
    lookup_example = "clinical"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = DutyCategory.objects.all()
    serializer_class = s.DutyCategorySerializer
    search_fields = ("slug", "name_en", "name_nb", "description_en", "description_nb")
    ordering_fields = ("position", "slug", "name_en", "name_nb")


class DutyFilter(RoleRowFilter):
    category = filters.CharFilter(field_name="category__slug", help_text="Slug of the duty category.")

    class Meta:
        model = Duty
        fields = (
            "role",
            "category",
            "involvement",
            "source",
            "editorial",
            "role__slug",
            "category__slug",
            "source__slug",
        )


class DutyViewSet(ContentViewSet):
    queryset = Duty.objects.select_related("role", "category", "source")
    serializer_class = s.DutySerializer
    filterset_class = DutyFilter
    search_fields = ("title_en", "title_nb", "description_en", "description_nb")
    ordering_fields = ("id", "position", "involvement", "title_en", "title_nb")


@extend_schema(
    summary="Duties as CSV (both languages as columns)",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="duties.csv")},
)
@api_view(["GET"])
def export_duties_csv(request):
    return download(
        request,
        exports.duties_csv().encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
        filename="duties.csv",
    )


ROUTES = [
    ("duty-categories", DutyCategoryViewSet, "duty-category"),
    ("duties", DutyViewSet, "duty"),
]
urlpatterns = [
    path("export/duties.csv", export_duties_csv, name="export-duties-csv"),
    *table_urls("duties", exports.duties_table, "Duties (ids, both languages, readable involvement)", csv=False),
]

ROUTES += [
    ("raci/activities", raci_api.ActivityViewSet, "raci-activity"),
    ("raci/assignments", raci_api.AssignmentViewSet, "raci-assignment"),
]
urlpatterns += [
    path("raci/", raci_api.raci_matrix, name="raci"),
    path("export/raci.csv", raci_api.export_raci_csv, name="export-raci-csv"),
    path("export/raci.xlsx", raci_api.export_raci_xlsx, name="export-raci-xlsx"),
]
