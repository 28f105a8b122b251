"""The API of what the whole knowledge base shares: its source documents, and the export of everything."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework.decorators import api_view

from . import exchange, feed_api, serializers as s
from .apitools import ContentViewSet, download
from .models import Source


class SourceViewSet(ContentViewSet):
    """Source documents, read-only: they are the evidence every excerpt is checked against."""

    http_method_names = ["get", "head", "options"]
    lookup_field = "slug"
    lookup_example = "hva-gjor-en-medisinsk-sjef"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    filterset_fields = ("language",)
    search_fields = ("slug", "title", "text")
    ordering_fields = ("slug", "title", "language")


@extend_schema(
    summary="The whole knowledge base as deterministic JSON",
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Same document as `manage.py export_kb`.")},
)
@api_view(["GET"])
def export_json(request):
    """Sources, categories, roles, titles, facts, qualifications, lines and duties, keyed by slugs and seed keys.

    `manage.py import_kb` loads it into an empty database; exporting again gives the same bytes.
    """
    return download(request, exchange.export_json().encode(), content_type="application/json")


# The sources app routes `sources/` (reading, and adding a source).
ROUTES: list = []
urlpatterns = [
    path("export/", export_json, name="export"),
    path("changes/", feed_api.changes, name="changes"),
]
