from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
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


@extend_schema_field({"type": "string", "deprecated": True})
class DeprecatedOccupationCodes(serializers.CharField):
    """``occupation_codes`` as one comma-separated string: kept for existing clients, superseded by ``isco_codes``."""


class RoleSerializer(CitedSerializer):
    url = serializers.SerializerMethodField(help_text="The role's absolute API address.")
    occupation_codes = DeprecatedOccupationCodes(
        required=False,
        allow_blank=True,
        help_text="Deprecated: use `isco_codes`. ISCO-08 codes, comma-separated (e.g. 2211,2212).",
    )
    isco_codes = serializers.ListField(
        child=serializers.RegexField(r"^\d{4}$", max_length=4, error_messages={"invalid": "Four digits."}),
        source="occupation_code_list",
        required=False,
        max_length=25,
        help_text='ISCO-08 occupation codes, e.g. ["2211", "2212"].',
    )

    class Meta:
        model = Role
        fields = (
            "id",
            "slug",
            "url",
            *translated("title", "abbreviation", "summary", "description"),
            "level",
            "occupation_codes",
            *translated("department"),
            "grade",
            "contract_basis",
            "isco_codes",
            "position",
            *CITATION_FIELDS,
            "version",
            "publication",
            "published_at",
            "last_reviewed",
            "review_due",
        )
        read_only_fields = ("publication", "published_at", "last_reviewed")

    review_due = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the role is next due for periodic review."
    )

    def validate(self, attrs):
        codes = attrs.pop("occupation_code_list", None)
        if codes is not None:
            joined = ",".join(codes)
            if "occupation_codes" in attrs and attrs["occupation_codes"] != joined:
                raise serializers.ValidationError(
                    {
                        "isco_codes": [
                            "Send isco_codes or the deprecated occupation_codes, not both with different codes."
                        ]
                    }
                )
            attrs["occupation_codes"] = joined
        return super().validate(attrs)

    def get_url(self, role) -> str:
        path = reverse("api:role-detail", kwargs={"slug": role.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
