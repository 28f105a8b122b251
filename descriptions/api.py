"""The API of whole roles: a role with everything that describes it, and as schema.org JSON-LD."""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.decorators import action
from rest_framework.response import Response

from knowledge.apitools import ContentViewSet
from knowledge.filters import CitedFilterSet
from roles.models import Role
from roles.serializers import RoleSerializer

from .jsonld import role_occupation
from .serializers import RoleDetailSerializer
from .sheet import role_with_everything


class JSONLDRenderer(renderers.JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class RoleFilter(CitedFilterSet):
    class Meta:
        model = Role
        fields = ("level", "source", "editorial", "source__slug")


# When ``occupation_codes`` (one string) gave way to ``isco_codes`` (a list), as RFC 9745 writes a date.
OCCUPATION_CODES_DEPRECATED = "@1796428800"  # 2026-12-05


class RoleViewSet(ContentViewSet):
    lookup_field = "slug"
    lookup_example = "physician"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Role.objects.select_related("source")
    filterset_class = RoleFilter
    search_fields = ("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "summary_en", "summary_nb")
    ordering_fields = ("position", "slug", "title_en", "title_nb", "level")

    def get_serializer_class(self):
        return RoleDetailSerializer if self.action == "retrieve" else RoleSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        """A request that names the deprecated ``occupation_codes`` is told so (RFC 9745), with where to read why."""
        response = super().finalize_response(request, response, *args, **kwargs)
        body = {}
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                body = request.data
            except exceptions.APIException:  # a body that was refused (415, 400) names nothing
                body = {}
        named = "occupation_codes" in request.query_params.get("fields", "").split(",")
        if named or (isinstance(body, Mapping) and "occupation_codes" in body):
            response["Deprecation"] = OCCUPATION_CODES_DEPRECATED
            response["Link"] = f'<{request.build_absolute_uri("/api/v1/docs/")}>; rel="deprecation"'
        return response

    def get_object(self):
        if self.action not in ("retrieve", "jsonld"):
            return super().get_object()
        role = role_with_everything(self.kwargs["slug"])
        self.check_object_permissions(self.request, role)
        return role

    @extend_schema(
        summary="The role as schema.org Occupation (JSON-LD)",
        # JSON-LD by default; ?format=json (or Accept: application/json) gets the same body as plain JSON.
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT, (200, "application/json"): OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("fields", exclude=True)],
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, renderers.JSONRenderer])
    def jsonld(self, request, slug=None):
        """The role as a schema.org ``Occupation`` with ISCO-08 category, duties, qualifications and skills."""
        role = self.get_object()
        data = role_occupation(role, url=request.build_absolute_uri(role.get_absolute_url()))
        return self.conditional(Response(data), version=role.version)


ROUTES = [("roles", RoleViewSet, "role")]
urlpatterns: list = []
