from rest_framework import serializers

from knowledge.apitools import StrictSerializerMixin, VersionField
from knowledge.serializers import CITATION_FIELDS, CitedSerializer, translated
from roles.serializers import role_field

from .models import Duty, DutyCategory


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
