from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from . import rules
from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle, Source
from .queries import cited_sources

CITATION_FIELDS = ("source", "excerpt", "editorial")


def translated(*names: str) -> tuple[str, ...]:
    """A translatable field under its plain name (negotiated language) and once per language."""
    return tuple(f for name in names for f in (name, f"{name}_en", f"{name}_nb"))


class SourceSlugField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Source.objects.all())
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(slug_field="slug", **kwargs)


class CitedSerializer(serializers.ModelSerializer):
    """Checks the citation rule shared with the model and the forms."""

    source = SourceSlugField()

    def validate(self, attrs):
        attrs = super().validate(attrs)

        def current(name, default):
            return attrs.get(name, getattr(self.instance, name, default) if self.instance else default)

        try:
            rules.validate_citation(
                source=current("source", None), excerpt=current("excerpt", ""), editorial=current("editorial", False)
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("slug", "title", "language", "text", "version")


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("slug", "title", "language")


class RoleTitleSerializer(CitedSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())

    class Meta:
        model = RoleTitle
        fields = ("id", "role", "language", "kind", "title", *CITATION_FIELDS, "version")


class RoleFactSerializer(CitedSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())

    class Meta:
        model = RoleFact
        fields = ("id", "role", "kind", *translated("text"), "position", *CITATION_FIELDS, "version")


class QualificationSerializer(CitedSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())

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
    subordinate = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())
    superior = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())

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
            "position",
            *CITATION_FIELDS,
            "version",
        )

    def get_url(self, role) -> str:
        return reverse("api:role-detail", kwargs={"slug": role.slug})


class NestedDutySerializer(serializers.Serializer):
    """A role's duty as shown inside the role (duties are written through /duties/)."""

    id = serializers.IntegerField()
    category = serializers.CharField(source="category.slug", read_only=True)
    title = serializers.CharField()
    description = serializers.CharField()
    involvement = serializers.CharField()
    position = serializers.IntegerField()
    source = serializers.CharField(source="source.slug", read_only=True, allow_null=True)
    excerpt = serializers.CharField()
    editorial = serializers.BooleanField()


class RoleDetailSerializer(RoleSerializer):
    titles = RoleTitleSerializer(many=True, read_only=True)
    facts = RoleFactSerializer(many=True, read_only=True)
    duties = NestedDutySerializer(many=True, read_only=True)
    qualifications = QualificationSerializer(many=True, read_only=True)
    superior_lines = ReportingLineSerializer(many=True, read_only=True, source="lines_up")
    subordinate_lines = ReportingLineSerializer(many=True, read_only=True, source="lines_down")
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
