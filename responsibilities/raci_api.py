"""The responsibility matrix in the API: the matrix itself, its activities and cells, and downloads.

``GET raci/`` is the matrix (activities, the roles taking part, the cells). Activities and cells
are written through ``responsibilities.services``, which checks the matrix's rules on the cells a
write leaves (see its docstring): an activity is created with its cells, a change to an activity
may carry its whole new set of cells, and a cell written on its own is a set of one.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view
from rest_framework.response import Response

from knowledge.apitools import ContentViewSet, conditional, download, to_columns
from knowledge.filters import CitedFilterSet
from knowledge.languages import per_language, translated_fields
from knowledge.services import StaleEdit

from . import exports, matrix as raci, serializers as s, services
from .models import Activity, Assignment

FILTERS = [
    OpenApiParameter("category", str, description="Slug of a duty category: only its activities."),
    OpenApiParameter("role", str, description="Slug of a role: only the activities it takes part in."),
]


def _filtered(request):
    try:
        category, role = raci.filter_values(request.query_params.get("category"), request.query_params.get("role"))
    except raci.UnknownFilter as unknown:
        raise exceptions.ValidationError({name: [message] for name, message in unknown.errors.items()}) from unknown
    return raci.build(list(raci.activities(category, role)))


@extend_schema(summary="The responsibility matrix (RACI)", parameters=FILTERS, responses=s.MatrixSerializer)
@api_view(["GET"])
def raci_matrix(request):
    table = _filtered(request)
    for row in table.rows:
        row.activity.breaks = [str(rule) for rule in row.breaks]
    data = s.MatrixSerializer(
        {"activities": [row.activity for row in table.rows], "roles": table.roles, "cells": table.assignments}
    ).data
    return conditional(request, Response(data))


@extend_schema(
    summary="The responsibility matrix as CSV (a column per role; both languages)",
    parameters=FILTERS,
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="raci.csv")},
)
@api_view(["GET"])
def export_raci_csv(request):
    body = exports.raci_csv(_filtered(request)).encode("utf-8-sig")
    return download(request, body, content_type="text/csv; charset=utf-8", filename="raci.csv")


@extend_schema(
    summary="The responsibility matrix as an Excel workbook (the matrix, and every cell with its citation)",
    parameters=FILTERS,
    responses={(200, exports.XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="raci.xlsx")},
)
@api_view(["GET"])
def export_raci_xlsx(request):
    return download(request, exports.raci_xlsx(_filtered(request)), content_type=exports.XLSX, filename="raci.xlsx")


def _new_columns(model, data: dict) -> dict:
    for name in translated_fields(model):
        for column in per_language(name):
            data.setdefault(column, "")
    return data


def _cells(items) -> list[services.CellChange]:
    changes = []
    for item in items:
        item = dict(item)
        changes.append(services.CellChange(role=item.pop("role"), data=item))
    return changes


class ActivityViewSet(ContentViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Activity.objects.select_related("category").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("role", "source").order_by("role__position"))
    )
    serializer_class = s.ActivitySerializer
    filterset_fields = ("category__slug",)
    search_fields = ("slug", "title_en", "title_nb", "description_en", "description_nb")
    ordering_fields = ("position", "slug", "title_en", "title_nb")

    def perform_create(self, serializer):
        data = _new_columns(Activity, to_columns(Activity, serializer.validated_data))
        data.pop("version", None)
        cells = _cells(data.pop("assignments"))
        activity = services.activity_create(
            data=data, cells=cells, user=self.request.user, reason=_("Created through the API")
        )
        serializer.instance = self.get_queryset().get(pk=activity.pk)

    def perform_update(self, serializer):
        data = to_columns(Activity, serializer.validated_data)
        expected, where = self.expected_version(data.pop("version", None), serializer.instance)
        cells = None
        if "assignments" in data:
            wanted = _cells(data.pop("assignments"))
            named = {change.role.pk for change in wanted}
            # The set sent is the whole new set: roles left out take no part any more.
            gone = [
                services.CellChange(role=cell.role, data=None)
                for cell in serializer.instance.assignments.all()
                if cell.role_id not in named
            ]
            cells = wanted + gone
        try:
            activity = services.activity_update(
                activity=serializer.instance,
                data=data,
                expected_version=expected,
                cells=cells,
                user=self.request.user,
                reason=_("Changed through the API"),
            )
        except StaleEdit as error:
            raise self._stale(error, where) from error
        serializer.instance = self.get_queryset().get(pk=activity.pk)

    def perform_destroy(self, instance):
        expected, where = self.delete_version(instance)
        try:
            services.activity_delete(
                activity=instance,
                user=self.request.user,
                expected_version=expected,
                reason=_("Deleted through the API"),
            )
        except StaleEdit as error:
            raise self._stale(error, where) from error


class AssignmentFilter(CitedFilterSet):
    activity = filters.CharFilter(field_name="activity__slug", help_text="Slug of the activity.")
    role = filters.CharFilter(field_name="role__slug", help_text="Slug of the role.")
    letter = filters.CharFilter(help_text="R, A, C or I.")

    class Meta:
        model = Assignment
        fields = ("activity", "role", "letter", "source", "editorial")


class AssignmentViewSet(ContentViewSet):
    """One cell at a time; each write is checked as a set of one against the matrix's rules."""

    queryset = Assignment.objects.select_related("activity", "role", "source")
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ("id", "letter")

    def _write(self, activity, change, where=None):
        try:
            services.activity_update(
                activity=activity, cells=[change], user=self.request.user, reason=_("Changed through the API")
            )
        except StaleEdit as error:
            raise self._stale(error, where or "body") from error

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        activity, role = data.pop("activity"), data.pop("role")
        self._write(activity, services.CellChange(role=role, data=data, expected_version=services.NEW_CELL))
        serializer.instance = self.get_queryset().get(activity=activity, role=role)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected, where = self.expected_version(data.pop("version", None), serializer.instance)
        cell = serializer.instance
        if data.pop("activity", cell.activity) != cell.activity or data.pop("role", cell.role) != cell.role:
            raise exceptions.ValidationError(
                {"activity": [_("A cell stays in its activity and role; delete it and add another.")]}
            )
        self._write(cell.activity, services.CellChange(role=cell.role, data=data, expected_version=expected), where)
        serializer.instance = self.get_queryset().get(pk=cell.pk)

    def perform_destroy(self, instance):
        expected, where = self.delete_version(instance)
        self._write(
            instance.activity, services.CellChange(role=instance.role, data=None, expected_version=expected), where
        )
