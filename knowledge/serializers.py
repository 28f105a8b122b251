"""Serializer pieces every content resource shares: the citation rule, source references, both languages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from . import rules
from .apitools import StrictSerializerMixin, VersionField
from .languages import per_language
from .models import Source

CITATION_FIELDS = ("source", "excerpt", "editorial")


def translated(*names: str) -> tuple[str, ...]:
    """A translatable field under its plain name (negotiated language) and once per language."""
    return tuple(f for name in names for f in (name, *per_language(name)))


class SourceSlugField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Source.objects.all())
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(slug_field="slug", **kwargs)


class CitedSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """Checks the citation rule shared with the model and the forms."""

    source = SourceSlugField(help_text="Slug of the source document the excerpt is quoted from.")
    version = VersionField()

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


class SourceSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("slug", "title", "language", "origin", "date", "checksum", "text", "version")


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("slug", "title", "language")
