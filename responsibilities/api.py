from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework.decorators import api_view

from roles.apitools import CitedFilterSet, ContentViewSet, etag_matches

from . import exchange, serializers as s
from .models import Duty, DutyCategory


class DutyCategoryViewSet(ContentViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = DutyCategory.objects.all()
    serializer_class = s.DutyCategorySerializer
    search_fields = ("slug", "name_en", "name_nb", "description_en", "description_nb")
    ordering_fields = ("position", "slug", "name_en", "name_nb")


class DutyFilter(CitedFilterSet):
    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")
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


def _download(request, body: bytes, *, content_type: str, filename: str | None = None) -> HttpResponse:
    etag = f'"{exchange.digest(body)}"'
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema(
    summary="The whole knowledge base as deterministic JSON",
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Same document as `manage.py export_kb`.")},
)
@api_view(["GET"])
def export_json(request):
    """Sources, categories, roles, titles, facts, qualifications, lines and duties, keyed by slugs and seed keys.

    `manage.py import_kb` loads it into an empty database; exporting again gives the same bytes.
    """
    return _download(request, exchange.export_json().encode(), content_type="application/json")


@extend_schema(
    summary="Roles as CSV (both languages as columns)",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="roles.csv")},
)
@api_view(["GET"])
def export_roles_csv(request):
    return _download(
        request, exchange.roles_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8", filename="roles.csv"
    )


@extend_schema(
    summary="Duties as CSV (both languages as columns)",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="duties.csv")},
)
@api_view(["GET"])
def export_duties_csv(request):
    return _download(
        request,
        exchange.duties_csv().encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
        filename="duties.csv",
    )
