"""``/api/v1/webhooks/``: webhook subscriptions and their delivery logs, for administrators only."""

import base64

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from knowledge import feed

from . import services
from .models import Delivery, Subscription


class AdministersWebhooks(permissions.DjangoModelPermissions):
    """Staff with the subscription rights (superusers have them all); reading needs the view right too."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}
    perms_map["HEAD"] = perms_map["OPTIONS"] = perms_map["GET"]

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff) and super().has_permission(request, view)


def _valid_event_type(value: str) -> bool:
    known = feed.known_event_types()
    prefixes = {name.split(".", 1)[0] for name in known}
    return value in known or (value.endswith(".*") and value[:-2] in prefixes)


class SubscriptionSerializer(serializers.ModelSerializer):
    url = serializers.URLField(max_length=500, help_text="Receives a POST (JSON, signed) for every event.")
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        help_text="Event types to send, e.g. `role.updated` or `role.*`; empty or left out: every event.",
    )
    secret = serializers.CharField(
        max_length=100,
        required=False,
        help_text="Standard Webhooks secret (`whsec_` + base64); generated when left out.",
    )
    deliveries = serializers.SerializerMethodField(help_text="The subscription's delivery log.")

    class Meta:
        model = Subscription
        fields = [
            "id", "url", "description", "event_types", "secret", "is_active", "disabled_reason",
            "consecutive_failures", "deliveries", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["disabled_reason", "consecutive_failures", "created_at", "updated_at"]

    def get_deliveries(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:webhook-deliveries", kwargs={"pk": obj.pk}))

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("Use an http:// or https:// address."))
        return value

    def validate_event_types(self, value: list[str]) -> list[str]:
        unknown = [name for name in value if not _valid_event_type(name)]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown event types: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(feed.known_event_types())}
            )
        return sorted(set(value))

    def validate_secret(self, value: str) -> str:
        try:
            key = base64.b64decode(value.removeprefix("whsec_"), validate=True)
        except ValueError:
            key = b""
        if not value.startswith("whsec_") or len(key) < 24:
            raise serializers.ValidationError(
                _("Not a Standard Webhooks secret: whsec_ and at least 24 bytes in base64.")
            )
        return value


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField()
    webhook_id = serializers.CharField(source="message_id", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "webhook_id", "event", "status", "attempts", "next_attempt_at", "last_attempt_at",
            "response_status", "response_body", "error", "delivered_at", "created_at", "redelivery_of",
        ]  # fmt: skip
        read_only_fields = fields

    def get_event(self, obj) -> dict:
        return {"cursor": obj.event.cursor, "type": obj.event.event_type, "role": obj.event.role or None}


@extend_schema_view(
    list=extend_schema(summary="List webhook subscriptions"),
    retrieve=extend_schema(summary="One webhook subscription"),
    create=extend_schema(
        summary="Register a webhook subscription",
        description="It receives the events committed from now on. The answer carries the signing secret.",
    ),
    update=extend_schema(summary="Replace a webhook subscription"),
    partial_update=extend_schema(
        summary="Change a webhook subscription",
        description="`is_active: true` switches a subscription back on; it resumes where its deliveries stopped.",
    ),
    destroy=extend_schema(summary="Delete a webhook subscription and its delivery log"),
)
class SubscriptionViewSet(viewsets.ModelViewSet):
    """Webhook subscriptions (administrators only): where events go, signed with the subscription's secret."""

    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    permission_classes = [AdministersWebhooks]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    filter_backends: list = []

    def perform_create(self, serializer):
        serializer.instance = services.subscription_create(data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.subscription_update(
            subscription=serializer.instance, data=dict(serializer.validated_data)
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = request.build_absolute_uri(
            reverse("api:webhook-detail", kwargs={"pk": response.data["id"]})
        )
        return response

    @extend_schema(summary="A subscription's delivery log, newest first", responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        rows = subscription.deliveries.select_related("event").order_by("-pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send one delivery's event again",
        description="Queued behind nothing already delivered, with the same `webhook-id` (receivers dedupe on it).",
        request=None,
        responses={202: DeliverySerializer, 404: OpenApiResponse(description="No such delivery here.")},
    )
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>\d+)/redeliver")
    def redeliver(self, request, pk=None, delivery_id=None):
        subscription = self.get_object()
        delivery = get_object_or_404(subscription.deliveries.select_related("event"), pk=delivery_id)
        queued = services.delivery_redeliver(delivery=delivery)
        return Response(DeliverySerializer(queued).data, status=status.HTTP_202_ACCEPTED)


ROUTES = [("webhooks", SubscriptionViewSet, "webhook")]
urlpatterns: list = []
