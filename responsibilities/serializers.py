from rest_framework import serializers

from roles.apitools import StrictSerializerMixin, VersionField
from roles.models import Role
from roles.serializers import CITATION_FIELDS, CitedSerializer, translated

from .models import Duty, DutyCategory


class DutyCategorySerializer(StrictSerializerMixin, serializers.ModelSerializer):
    version = VersionField()

    class Meta:
        model = DutyCategory
        fields = ("slug", *translated("name", "description"), "position", "version")


class DutySerializer(CitedSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())
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
