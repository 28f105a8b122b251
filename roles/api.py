from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from . import queries, serializers as s
from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle, Source


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    queryset = Role.objects.select_related("source")
    filterset_fields = ("level",)

    def get_serializer_class(self):
        return s.RoleDetailSerializer if self.action == "retrieve" else s.RoleSerializer

    def get_object(self):
        role = queries.role_with_everything(self.kwargs["slug"])
        self.check_object_permissions(self.request, role)
        return role


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    filterset_fields = ("language",)


class RoleTitleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RoleTitle.objects.select_related("role", "source")
    serializer_class = s.RoleTitleSerializer
    filterset_fields = ("role__slug", "language", "kind")


class RoleFactViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RoleFact.objects.select_related("role", "source")
    serializer_class = s.RoleFactSerializer
    filterset_fields = ("role__slug", "kind")


class QualificationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Qualification.objects.select_related("role", "source")
    serializer_class = s.QualificationSerializer
    filterset_fields = ("role__slug", "kind", "requirement", "source__slug")


class ReportingLineViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ReportingLine.objects.select_related("subordinate", "superior", "source")
    serializer_class = s.ReportingLineSerializer
    filterset_fields = ("kind", "subordinate__slug", "superior__slug")


@extend_schema(
    responses=inline_serializer(
        "OrgChart",
        {
            "nodes": inline_serializer(
                "OrgChartNode",
                {
                    "slug": serializers.SlugField(),
                    "title": serializers.CharField(),
                    "abbreviation": serializers.CharField(),
                    "level": serializers.CharField(),
                },
                many=True,
            ),
            "edges": inline_serializer(
                "OrgChartEdge",
                {
                    "source": serializers.SlugField(help_text="The subordinate role's slug."),
                    "target": serializers.SlugField(help_text="The superior role's slug."),
                    "kind": serializers.CharField(),
                },
                many=True,
            ),
        },
    )
)
@api_view(["GET"])
def org_chart(request):
    """Every role as a node and every reporting line as an edge from subordinate to superior."""
    nodes = [
        {"slug": role.slug, "title": role.title, "abbreviation": role.abbreviation, "level": role.level}
        for role in Role.objects.only("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "level")
    ]
    edges = [
        {"source": sub, "target": sup, "kind": kind}
        for sub, sup, kind in ReportingLine.objects.order_by(
            "superior__position", "subordinate__position", "kind"
        ).values_list("subordinate__slug", "superior__slug", "kind")
    ]
    return Response({"nodes": nodes, "edges": edges})
