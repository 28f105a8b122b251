"""The API of sources (reading them, and adding one as text or as a file) and of the knowledge base's health."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, permissions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from knowledge import timestamps
from knowledge.api import SourceViewSet
from knowledge.apitools import StrictSerializerMixin
from knowledge.models import LANGUAGES, Source
from knowledge.parsers import JSONParser
from knowledge.problems import PayloadTooLarge
from knowledge.serializers import SourceSerializer

from . import checks, extract, services
from .health import EDITOR_PERMISSION


class SourceCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """A new source: its text, or a document (multipart) whose text is taken out."""

    title = serializers.CharField(max_length=200)
    language = serializers.ChoiceField(choices=LANGUAGES)
    slug = serializers.SlugField(max_length=80, required=False, help_text="Chosen from the title when left out.")
    origin = serializers.CharField(max_length=500, required=False, allow_blank=True)
    date = serializers.DateField(required=False, allow_null=True)
    text = serializers.CharField(required=False, max_length=extract.MAX_TEXT_CHARS, trim_whitespace=False)
    file = serializers.FileField(
        required=False,
        help_text=f"A .txt, .html, .pdf or .docx document of at most {extract.MAX_UPLOAD_BYTES // 1024 // 1024} MB "
        "(multipart/form-data); its type is read from its content.",
    )

    def validate_slug(self, value):
        if Source.objects.filter(slug=value).exists():
            raise serializers.ValidationError("A source with this slug exists already.")
        return value

    def validate(self, attrs):
        upload, text = attrs.get("file"), attrs.get("text")
        if bool(upload) == bool(text and text.strip()):
            raise serializers.ValidationError({"non_field_errors": ["Send either `text` or a `file`, not both."]})
        if upload is not None:
            if upload.size > extract.MAX_UPLOAD_BYTES:
                raise serializers.ValidationError({"file": [extract.too_large_message()]})
            try:
                attrs["text"] = extract.extract(upload.read())
            except DjangoValidationError as error:
                raise serializers.ValidationError({"file": error.messages}) from error
            if not attrs.get("origin"):
                attrs["origin"] = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:500]
        return attrs


class SourcesViewSet(SourceViewSet):
    """Source documents: read them (with their full text), and add one (editors). A source is never
    changed or deleted through the API: its text is the evidence every excerpt is checked against."""

    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, parsers.MultiPartParser]

    @extend_schema(
        request={"application/json": SourceCreateSerializer, "multipart/form-data": SourceCreateSerializer},
        responses={201: timestamps.with_timestamps(SourceSerializer)},
        summary="Add a source (JSON text, or a multipart file)",
    )
    def create(self, request, *args, **kwargs):
        if extract.request_too_large(request):
            raise PayloadTooLarge(extract.too_large_message())
        incoming = SourceCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        source = services.source_add(
            title=data["title"],
            language=data["language"],
            text=data["text"],
            origin=data.get("origin", ""),
            date=data.get("date"),
            slug=data.get("slug", ""),
            user=request.user,
        )
        body = timestamps.with_timestamps(SourceSerializer)(source, context=self.get_serializer_context()).data
        location = request.build_absolute_uri(f"{request.path}{source.slug}/")
        return self._tagged(Response(body, status=status.HTTP_201_CREATED, headers={"Location": location}))


class HealthPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(EDITOR_PERMISSION))


FINDING = inline_serializer(
    "HealthFinding",
    {
        "message": serializers.CharField(),
        "url": serializers.CharField(),
        "role": serializers.CharField(allow_null=True),
    },
    many=True,
)
HEALTH = inline_serializer(
    "Health",
    {
        "sections": inline_serializer(
            "HealthSection",
            {
                "key": serializers.CharField(),
                "title": serializers.CharField(),
                "count": serializers.IntegerField(),
                "findings": FINDING,
            },
            many=True,
        ),
        "editorial_share": inline_serializer(
            "EditorialShare",
            {
                "role": serializers.CharField(),
                "editorial": serializers.IntegerField(),
                "total": serializers.IntegerField(),
            },
            many=True,
        ),
    },
)


@extend_schema(
    summary="The knowledge base's health (editors)",
    responses={200: HEALTH, 403: OpenApiResponse(description="Editors only.")},
)
@api_view(["GET"])
@permission_classes([HealthPermission])
def health(request):
    """What is missing, stale or said twice; each finding with the page where it is fixed (`url`)."""

    def finding(item):
        return {
            "message": item.message,
            "url": request.build_absolute_uri(item.url),
            "role": item.role.slug if item.role else None,
        }

    sections = [
        {"key": s.key, "title": str(s.title), "count": s.total, "findings": [finding(f) for f in s.findings]}
        for s in checks.health()
    ]
    shares = [{"role": s.role.slug, "editorial": s.editorial, "total": s.total} for s in checks.editorial_share()]
    return Response({"sections": sections, "editorial_share": shares})


ROUTES = [("sources", SourcesViewSet, "source")]
urlpatterns = [path("health/", health, name="health")]
