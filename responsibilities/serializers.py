from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from knowledge.apitools import StrictSerializerMixin, VersionField
from knowledge.serializers import CITATION_FIELDS, CitedSerializer, translated
from roles.models import Role
from roles.serializers import role_field

from .models import Activity, Assignment, Duty, DutyCategory, RuleBreak, rule_breaks


class DutyCategorySerializer(StrictSerializerMixin, serializers.ModelSerializer):
    version = VersionField()

    class Meta:
        model = DutyCategory
        fields = ("slug", *translated("name", "description"), "position", "version")


class DutySerializer(CitedSerializer):
    role = role_field()
    category = serializers.SlugRelatedField(slug_field="slug", queryset=DutyCategory.objects.all())

    class Meta:
        model = Duty
        fields = (
            "id",
            "role",
            "category",
            *translated("title", "description"),
            "involvement",
            "position",
            *CITATION_FIELDS,
            "version",
        )


class NestedDutySerializer(serializers.Serializer):
    """A role's duty as shown inside the role (duties are written through /duties/)."""

    id = serializers.IntegerField()
    category = serializers.CharField(source="category.slug", help_text="Slug of the duty category.")
    title = serializers.CharField()
    description = serializers.CharField()
    involvement = serializers.CharField()
    position = serializers.IntegerField()
    source = serializers.CharField(source="source.slug", allow_null=True, help_text="Slug of the cited source.")
    excerpt = serializers.CharField()
    editorial = serializers.BooleanField()


class CellSerializer(CitedSerializer):
    """A role's part in an activity, written inside its activity (``assignments``) or on its own."""

    role = role_field()
    duty = serializers.PrimaryKeyRelatedField(
        queryset=Duty.objects.all(), allow_null=True, required=False, help_text="Id of the role's duty this part is."
    )

    class Meta:
        model = Assignment
        fields = ("role", "letter", "duty", *CITATION_FIELDS)


class AssignmentSerializer(CitedSerializer):
    activity = serializers.SlugRelatedField(slug_field="slug", queryset=Activity.objects.all())
    role = role_field()
    duty = serializers.PrimaryKeyRelatedField(
        queryset=Duty.objects.all(), allow_null=True, required=False, help_text="Id of the role's duty this part is."
    )

    class Meta:
        model = Assignment
        fields = ("id", "activity", "role", "letter", "duty", *CITATION_FIELDS, "version")


class ActivitySerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """An activity with its cells. Creating one requires its cells (one A, at least one R); sending
    ``assignments`` with a change replaces the activity's cells by that set, checked as a whole."""

    category = serializers.SlugRelatedField(slug_field="slug", queryset=DutyCategory.objects.all())
    assignments = CellSerializer(many=True, required=False, help_text="Every role's part: one A, at least one R.")
    breaks = serializers.SerializerMethodField(
        help_text="The matrix rules the activity breaks (none when it keeps them)."
    )
    version = VersionField()

    class Meta:
        model = Activity
        fields = (
            "slug",
            "category",
            *translated("title", "description"),
            "position",
            "assignments",
            "breaks",
            "version",
        )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=RuleBreak.choices)))
    def get_breaks(self, activity) -> list[str]:
        return [str(rule) for rule in rule_breaks(cell.letter for cell in activity.assignments.all())]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("assignments"):
            raise serializers.ValidationError(
                {"assignments": ["A new activity needs its roles' parts: exactly one A and at least one R."]}
            )
        return attrs


class MatrixActivitySerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.slug", help_text="Slug of the duty category.")
    breaks = serializers.ListField(child=serializers.ChoiceField(choices=RuleBreak.choices), read_only=True)

    class Meta:
        model = Activity
        fields = ("slug", "category", *translated("title", "description"), "position", "breaks", "version")


class MatrixRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ("slug", *translated("title", "abbreviation"), "position")


class MatrixCellSerializer(serializers.ModelSerializer):
    activity = serializers.CharField(source="activity.slug")
    role = serializers.CharField(source="role.slug")
    source = serializers.CharField(source="source.slug", allow_null=True)

    class Meta:
        model = Assignment
        fields = ("id", "activity", "role", "letter", "duty", *CITATION_FIELDS, "version")


class MatrixSerializer(serializers.Serializer):
    activities = MatrixActivitySerializer(many=True)
    roles = MatrixRoleSerializer(many=True)
    cells = MatrixCellSerializer(many=True)
