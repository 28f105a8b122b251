"""Webhook subscriptions and their deliveries.

A subscription's deliveries are made from the change feed (``knowledge.models.FeedEvent``, written in
the writer's transaction: the outbox), one per event it wants, and sent in feed order by
``manage.py run_webhooks`` (``webhooks.delivery``).
"""

import base64
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.models import FeedEvent


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    url = models.URLField(_("URL"), max_length=500, help_text=_("Receives a POST for every event."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Standard Webhooks secret (whsec_…); the receiver checks each signature with it."),
    )
    event_types = models.JSONField(
        _("event types"),
        default=list,
        blank=True,
        help_text=_("Event types to send, e.g. role.updated or role.* (empty: every event)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was switched off"), max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    # The last feed event this subscription has taken deliveries from (its place in the feed).
    cursor_version = models.PositiveBigIntegerField(default=0, editable=False)
    cursor_id = models.PositiveBigIntegerField(default=0, editable=False)
    # A worker sending this subscription's deliveries holds it until then (so no two send at once).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.description or self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or any(
            event_type == wanted or (wanted.endswith(".*") and event_type.startswith(wanted[:-1]))
            for wanted in self.event_types
        )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One event for one subscription, with the outcome of its latest attempt (the delivery log)."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(FeedEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    response_body = models.CharField(_("response (start)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    redelivery_of = models.ForeignKey(
        "self", verbose_name=_("redelivery of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["subscription", "event__kb_version", "event_id", "pk"]
        indexes = [models.Index(fields=["subscription", "status", "next_attempt_at"], name="delivery_due")]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event.event_type} → {self.subscription}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: one per event, the same on every retry and redelivery (receivers dedupe on it)."""
        return f"msg_{self.event.kb_version}_{self.event_id}"
