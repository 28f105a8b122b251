"""A role with everything that describes it, as the API's role detail returns it."""

from rest_framework import serializers

from knowledge.serializers import SourceRefSerializer
from responsibilities.serializers import NestedDutySerializer
from roles.serializers import (
    QualificationSerializer,
    ReportingLineSerializer,
    RoleFactSerializer,
    RoleSerializer,
    RoleTitleSerializer,
)

from .sheet import cited_sources


# The role's rows as the detail nests them: without the timestamps each resource's own address adds
# (knowledge.timestamps), so classes (and schema components) of their own.
class NestedRoleTitleSerializer(RoleTitleSerializer):
    pass


class NestedRoleFactSerializer(RoleFactSerializer):
    pass


class NestedQualificationSerializer(QualificationSerializer):
    pass


class NestedReportingLineSerializer(ReportingLineSerializer):
    pass


class RoleDetailSerializer(RoleSerializer):
    titles = NestedRoleTitleSerializer(many=True, read_only=True)
    facts = NestedRoleFactSerializer(many=True, read_only=True)
    duties = NestedDutySerializer(many=True, read_only=True)
    qualifications = NestedQualificationSerializer(many=True, read_only=True)
    superior_lines = NestedReportingLineSerializer(many=True, read_only=True, source="lines_up")
    subordinate_lines = NestedReportingLineSerializer(many=True, read_only=True, source="lines_down")
    sources = serializers.SerializerMethodField()

    class Meta(RoleSerializer.Meta):
        fields = (
            *RoleSerializer.Meta.fields,
            "titles",
            "facts",
            "duties",
            "qualifications",
            "superior_lines",
            "subordinate_lines",
            "sources",
        )

    def get_sources(self, role) -> list[dict]:
        groups = [[role], role.titles.all(), role.facts.all(), role.duties.all(), role.qualifications.all()]
        groups += [role.lines_up.all(), role.lines_down.all()]
        return SourceRefSerializer(cited_sources(*groups), many=True).data
