from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import renderers, serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from . import queries, serializers as s
from .apitools import CitedFilterSet, ContentViewSet, conditional
from .jsonld import role_occupation
from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle, Source


class JSONLDRenderer(renderers.JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class RoleFilter(CitedFilterSet):
    class Meta:
        model = Role
        fields = ("level", "source", "editorial", "source__slug")


class RoleViewSet(ContentViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Role.objects.select_related("source")
    filterset_class = RoleFilter
    search_fields = ("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "summary_en", "summary_nb")
    ordering_fields = ("position", "slug", "title_en", "title_nb", "level")

    def get_serializer_class(self):
        return s.RoleDetailSerializer if self.action == "retrieve" else s.RoleSerializer

    def get_object(self):
        if self.action not in ("retrieve", "jsonld"):
            return super().get_object()
        role = queries.role_with_everything(self.kwargs["slug"])
        self.check_object_permissions(self.request, role)
        return role

    @extend_schema(
        summary="The role as schema.org Occupation (JSON-LD)",
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("fields", exclude=True)],
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, renderers.JSONRenderer])
    def jsonld(self, request, slug=None):
        """The role as a schema.org ``Occupation`` with ISCO-08 category, duties, qualifications and skills."""
        role = self.get_object()
        data = role_occupation(role, url=request.build_absolute_uri(role.get_absolute_url()))
        return self.conditional(Response(data), version=role.version)


class SourceViewSet(ContentViewSet):
    """Source documents, read-only: they are the evidence every excerpt is checked against."""

    http_method_names = ["get", "head", "options"]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Source.objects.all()
    serializer_class = s.SourceSerializer
    filterset_fields = ("language",)
    search_fields = ("slug", "title", "text")
    ordering_fields = ("slug", "title", "language")


class RoleTitleFilter(CitedFilterSet):
    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")

    class Meta:
        model = RoleTitle
        fields = ("role", "language", "kind", "source", "editorial", "role__slug")


class RoleTitleViewSet(ContentViewSet):
    queryset = RoleTitle.objects.select_related("role", "source")
    serializer_class = s.RoleTitleSerializer
    filterset_class = RoleTitleFilter
    search_fields = ("title",)
    ordering_fields = ("id", "title", "language", "kind")


class RoleFactFilter(CitedFilterSet):
    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")

    class Meta:
        model = RoleFact
        fields = ("role", "kind", "source", "editorial", "role__slug")


class RoleFactViewSet(ContentViewSet):
    queryset = RoleFact.objects.select_related("role", "source")
    serializer_class = s.RoleFactSerializer
    filterset_class = RoleFactFilter
    search_fields = ("text_en", "text_nb")
    ordering_fields = ("id", "position", "kind")


class QualificationFilter(CitedFilterSet):
    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")

    class Meta:
        model = Qualification
        fields = ("role", "kind", "requirement", "source", "editorial", "role__slug", "source__slug")


class QualificationViewSet(ContentViewSet):
    queryset = Qualification.objects.select_related("role", "source")
    serializer_class = s.QualificationSerializer
    filterset_class = QualificationFilter
    search_fields = ("text_en", "text_nb")
    ordering_fields = ("id", "position", "kind", "requirement", "minimum_years")


class ReportingLineFilter(CitedFilterSet):
    subordinate = filters.CharFilter(field_name="subordinate__slug", help_text="Slug of the subordinate role.")
    superior = filters.CharFilter(field_name="superior__slug", help_text="Slug of the superior role.")
    role = filters.CharFilter(method="filter_role", help_text="Slug of a role at either end of the line.")

    class Meta:
        model = ReportingLine
        fields = (
            "kind",
            "subordinate",
            "superior",
            "role",
            "source",
            "editorial",
            "subordinate__slug",
            "superior__slug",
        )

    def filter_role(self, queryset, name, value):
        return queryset.filter(Q(subordinate__slug=value) | Q(superior__slug=value))


class ReportingLineViewSet(ContentViewSet):
    queryset = ReportingLine.objects.select_related("subordinate", "superior", "source")
    serializer_class = s.ReportingLineSerializer
    filterset_class = ReportingLineFilter
    search_fields = ("note_en", "note_nb", "subordinate__slug", "superior__slug")
    ordering_fields = ("id", "kind")


_NODE = {
    "slug": serializers.SlugField(),
    "title": serializers.CharField(),
    "abbreviation": serializers.CharField(),
    "level": serializers.ChoiceField(choices=Role.Level.choices),
}


@extend_schema(
    responses=inline_serializer(
        "OrgChart",
        {
            "nodes": inline_serializer("OrgChartNode", _NODE, many=True),
            "edges": inline_serializer(
                "OrgChartEdge",
                {
                    "source": serializers.SlugField(help_text="The subordinate role's slug."),
                    "target": serializers.SlugField(help_text="The superior role's slug."),
                    "kind": serializers.ChoiceField(choices=ReportingLine.Kind.choices),
                },
                many=True,
            ),
        },
    )
)
@api_view(["GET"])
def org_chart(request):
    """Every role as a node and every reporting line as an edge from subordinate to superior."""
    nodes, edges = _org_chart_rows()
    return conditional(request, Response({"nodes": nodes, "edges": edges}))


def _org_chart_rows():
    """The org-chart graph (shared with the org chart page) as slug-keyed nodes and edges."""
    roles, lines = queries.org_chart_graph()
    slugs = {role.pk: role.slug for role in roles}
    nodes = [
        {"slug": role.slug, "title": role.title, "abbreviation": role.abbreviation, "level": role.level}
        for role in roles
    ]
    edges = [{"source": slugs[sub], "target": slugs[sup], "kind": kind} for sub, sup, kind in lines]
    return nodes, edges


class OrgTreeNodeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    abbreviation = serializers.CharField()
    level = serializers.ChoiceField(choices=Role.Level.choices)
    children = serializers.ListField(
        child=serializers.DictField(), help_text="Roles reporting to this one by a solid line, nested the same way."
    )


@extend_schema(responses=OrgTreeNodeSerializer(many=True))
@api_view(["GET"])
def org_chart_tree(request):
    """The solid (reports-to) lines as a nested tree: roots are roles that report to no one."""
    nodes, edges = _org_chart_rows()
    return conditional(request, Response(queries.org_tree(nodes, edges)))
