"""Changing subscriptions and redelivering: the admin and the API both call these."""

from django.db import transaction

from knowledge.models import FeedEvent

from .models import Delivery, DeliveryStatus, Subscription


@transaction.atomic
def subscription_create(*, data: dict) -> Subscription:
    """A new subscription receives the events from now on (its place starts at the feed's end)."""
    subscription = Subscription(**data)
    subscription.full_clean()
    last = FeedEvent.objects.order_by("-kb_version", "-id").first()
    if last is not None:
        subscription.cursor_version, subscription.cursor_id = last.kb_version, last.pk
    subscription.save()
    return subscription


@transaction.atomic
def subscription_update(*, subscription: Subscription, data: dict) -> Subscription:
    """Change a subscription; switching it back on resumes its deliveries where they stopped."""
    resumed = data.get("is_active") is True and not subscription.is_active
    for name, value in data.items():
        setattr(subscription, name, value)
    if resumed:
        subscription.disabled_reason = ""
        subscription.consecutive_failures = 0
        subscription.deliveries.filter(status=DeliveryStatus.FAILED).update(status=DeliveryStatus.PENDING)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send an event again (same ``webhook-id``), as a new entry of the delivery log, due now."""
    return Delivery.objects.create(subscription=delivery.subscription, event=delivery.event, redelivery_of=delivery)
