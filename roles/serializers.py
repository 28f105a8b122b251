from django.urls import reverse
from rest_framework import serializers

from knowledge.serializers import CITATION_FIELDS, CitedSerializer, translated

from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


def role_field() -> serializers.SlugRelatedField:
    """A role, read and written by its slug."""
    return serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())


class RoleTitleSerializer(CitedSerializer):
    role = role_field()

    class Meta:
        model = RoleTitle
        fields = ("id", "role", "language", "kind", "title", *CITATION_FIELDS, "version")


class RoleFactSerializer(CitedSerializer):
    role = role_field()

    class Meta:
        model = RoleFact
        fields = ("id", "role", "kind", *translated("text"), "position", *CITATION_FIELDS, "version")


class QualificationSerializer(CitedSerializer):
    role = role_field()

    class Meta:
        model = Qualification
        fields = (
            "id",
            "role",
            "kind",
            "requirement",
            *translated("text"),
            "minimum_years",
            "position",
            *CITATION_FIELDS,
            "version",
        )


class ReportingLineSerializer(CitedSerializer):
    subordinate = role_field()
    superior = role_field()

    class Meta:
        model = ReportingLine
        fields = ("id", "subordinate", "superior", "kind", *translated("note"), *CITATION_FIELDS, "version")


class RoleSerializer(CitedSerializer):
    url = serializers.SerializerMethodField()
    occupation_codes = serializers.CharField(
        required=False, allow_blank=True, help_text="ISCO-08 codes, comma-separated (e.g. 2211,2212)."
    )

    class Meta:
        model = Role
        fields = (
            "slug",
            "url",
            *translated("title", "abbreviation", "summary", "description"),
            "level",
            "occupation_codes",
            *translated("department"),
            "grade",
            "contract_basis",
            "position",
            *CITATION_FIELDS,
            "version",
        )

    def get_url(self, role) -> str:
        return reverse("api:role-detail", kwargs={"slug": role.slug})
