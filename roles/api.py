"""The API of a role's own rows: titles, key facts, qualifications, reporting lines; the org chart; roles.csv."""

import json

from django.db.models import Q
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import get_language
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiResponse,
    OpenApiTypes,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import api_view

from knowledge.apitools import ContentViewSet, conditional, download, make_etag
from knowledge.filters import CitedFilterSet
from knowledge.languages import active_language, column
from knowledge.table_api import table_urls

from . import exports, orgchart, queries, serializers as s
from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


class RoleRowFilter(CitedFilterSet):
    """Filters of a row that belongs to one role (a title, fact, qualification or duty)."""

    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")


class RoleTitleFilter(RoleRowFilter):
    class Meta:
        model = RoleTitle
        fields = ("role", "language", "kind", "source", "editorial", "role__slug")


class RoleTitleViewSet(ContentViewSet):
    queryset = RoleTitle.objects.select_related("role", "source")
    serializer_class = s.RoleTitleSerializer
    filterset_class = RoleTitleFilter
    search_fields = ("title",)
    ordering_fields = ("id", "title", "language", "kind")


class RoleFactFilter(RoleRowFilter):
    class Meta:
        model = RoleFact
        fields = ("role", "kind", "source", "editorial", "role__slug")


class RoleFactViewSet(ContentViewSet):
    queryset = RoleFact.objects.select_related("role", "source")
    serializer_class = s.RoleFactSerializer
    filterset_class = RoleFactFilter
    search_fields = ("text_en", "text_nb")
    ordering_fields = ("id", "position", "kind")


class QualificationFilter(RoleRowFilter):
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


@extend_schema_field({"type": "string", "deprecated": True})
class DeprecatedSlug(serializers.SlugField):
    """An edge end under its old name, kept for existing clients."""


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
                    "id": serializers.IntegerField(help_text="The reporting line's id."),
                    "url": serializers.URLField(help_text="The reporting line's absolute API address."),
                    "subordinate": serializers.SlugField(help_text="The subordinate role's slug."),
                    "superior": serializers.SlugField(help_text="The superior role's slug."),
                    "kind": serializers.ChoiceField(choices=ReportingLine.Kind.choices),
                    "note": serializers.CharField(help_text="The line's note, in the response's language."),
                    "editorial": serializers.BooleanField(help_text="Written by the team, not quoted from a source."),
                    "source": DeprecatedSlug(help_text="Deprecated (reads like a citation's source): `subordinate`."),
                    "target": DeprecatedSlug(help_text="Deprecated: `superior`."),
                },
                many=True,
            ),
        },
    )
)
@api_view(["GET"])
def org_chart(request):
    """Every role as a node and every reporting line as an edge from subordinate to superior."""
    # Kept per process until what the org chart shows changes; the addresses depend on the host asked.
    version = queries.structure_version()
    key = f"api:{get_language()}:{request.build_absolute_uri('/')}"
    return _kept(request, key, version, lambda: _org_chart_body(request, version))


def _kept(request, name: str, version: str, build) -> HttpResponse:
    """A body kept per structure version as its rendered bytes, with its ETag.

    At 10,000 roles the body is ~4 MB of JSON: digesting it took ~20 ms, rendering it ~40 ms on every
    request, and as Python objects it held three times the memory its bytes do. Only the renderer's
    plain output is kept: a client asking for an indent (``application/json; indent=2``) gets it
    rendered from those bytes, so no choice of media type parameters can fill memory with copies.
    """
    renderer, media_type = request.accepted_renderer, request.accepted_media_type
    content, etag = queries.kept(name, version, lambda: _rendered(build(), renderer))
    if renderer.get_indent(media_type, {}) is not None:
        content = renderer.render(json.loads(content), media_type, {})
    return conditional(request, HttpResponse(content, content_type=renderer.media_type), etag=etag)


def _rendered(body, renderer) -> tuple[bytes, str]:
    return renderer.render(body, renderer.media_type, {}), make_etag(body)


def _org_chart_body(request, version: str) -> dict:
    roles = queries.org_chart_roles_kept(version)  # the org chart's own rows: not 10,000 loaded again
    slugs = {role.pk: role.slug for role in roles}
    note = column("note", active_language())
    edges = [
        {
            "id": line["pk"],
            "url": request.build_absolute_uri(reverse("api:reporting-line-detail", kwargs={"pk": line["pk"]})),
            "subordinate": slugs[line["subordinate_id"]],
            "superior": slugs[line["superior_id"]],
            "kind": line["kind"],
            "note": line[note] or "",
            "editorial": line["editorial"],
            "source": slugs[line["subordinate_id"]],
            "target": slugs[line["superior_id"]],
        }
        for line in queries.org_chart_lines()
    ]
    return {"nodes": [_node(role) for role in roles], "edges": edges}


def _node(role) -> dict:
    return {"slug": role.slug, "title": role.title, "abbreviation": role.abbreviation, "level": role.level}


class OrgTreeNodeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    abbreviation = serializers.CharField()
    level = serializers.ChoiceField(choices=Role.Level.choices)
    repeat = serializers.BooleanField(
        help_text="True where a role with several solid superiors appears again: its reports are listed "
        "under its first appearance only."
    )
    children = serializers.ListField(
        child=serializers.DictField(), help_text="Roles reporting to this one by a solid line, nested the same way."
    )


@extend_schema(responses=OrgTreeNodeSerializer(many=True))
@api_view(["GET"])
def org_chart_tree(request):
    """The solid (reports-to) lines as a nested tree, as the org chart page lists them: roots report to no one."""
    version = queries.structure_version()

    def build():
        _roles, _lines, nodes, edges, by_id = queries.org_chart_nodes(version)

        def item(entry):
            role = by_id[entry["node"].id]
            return {**_node(role), "repeat": entry["repeat"], "children": [item(child) for child in entry["children"]]}

        return [item(entry) for entry in orgchart.tree(nodes, edges)]

    return _kept(request, f"tree:{get_language()}", version, build)


@extend_schema(
    summary="Roles as CSV (both languages as columns)",
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="roles.csv")},
)
@api_view(["GET"])
def export_roles_csv(request):
    return download(
        request, exports.roles_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8", filename="roles.csv"
    )


ROUTES = [
    ("titles", RoleTitleViewSet, "title"),
    ("facts", RoleFactViewSet, "fact"),
    ("qualifications", QualificationViewSet, "qualification"),
    ("reporting-lines", ReportingLineViewSet, "reporting-line"),
]
urlpatterns = [
    path("org-chart/", org_chart, name="org-chart"),
    path("org-chart/tree/", org_chart_tree, name="org-chart-tree"),
    path("export/roles.csv", export_roles_csv, name="export-roles-csv"),
    *table_urls("roles", exports.roles_table, "Roles (ids, readable levels, whom each reports to)", csv=False),
    *table_urls("qualifications", exports.qualifications_table, "Qualifications (both languages as columns)"),
    *table_urls("reporting-lines", exports.reporting_lines_table, "Reporting lines (ids, both ends, readable kinds)"),
]
