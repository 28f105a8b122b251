"""Sending webhooks: from the change feed to each subscription's receiver, in order, signed, retried.

Per subscription, ``run_once``:
1. takes the feed events after the subscription's place in the feed and makes a pending delivery
   for each it wants (the feed is the transactional outbox: an event exists iff its change committed);
2. sends the pending deliveries in feed order, stopping at the first that fails, so a receiver gets
   every event once and in order (and so per role). A failed attempt waits ``RETRY_BASE · 2ⁿ``
   seconds (capped) before the next; after ``DISABLE_AFTER`` failed attempts in a row the
   subscription is switched off and says why. Re-enabling it resumes where it stopped.

Signatures follow Standard Webhooks (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``:
``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` with the subscription's secret), made by the
``standardwebhooks`` reference library. A retry keeps the ``webhook-id`` so receivers can dedupe.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from knowledge import feed
from knowledge.feed_api import as_json

from .models import Delivery, DeliveryStatus, Subscription

logger = logging.getLogger(__name__)
FAN_OUT_BATCH = 500
SEND_BATCH = 100
USER_AGENT = "MedicalRolesKB-Webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx, a failure), never followed with the signed body


_opener = urllib.request.build_opener(_NoRedirects)


def _absolute(path: str) -> str:
    return settings.KB_PUBLIC_URL + path


def payload(delivery: Delivery) -> bytes:
    event = delivery.event
    body = {
        "type": event.event_type,
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": as_json(event, _absolute),
    }
    return json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def signed_headers(secret: str, message_id: str, body: bytes, now=None) -> dict[str, str]:
    now = now or timezone.now()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
    }


def fan_out(subscription: Subscription) -> int:
    """Make pending deliveries for the events past the subscription's place in the feed; how many."""
    events = list(feed.after((subscription.cursor_version, subscription.cursor_id))[:FAN_OUT_BATCH])
    if not events:
        return 0
    wanted = [
        Delivery(subscription=subscription, event=event) for event in events if subscription.wants(event.event_type)
    ]
    Delivery.objects.bulk_create(wanted)
    subscription.cursor_version, subscription.cursor_id = events[-1].kb_version, events[-1].pk
    Subscription.objects.filter(pk=subscription.pk).update(
        cursor_version=subscription.cursor_version, cursor_id=subscription.cursor_id
    )
    return len(wanted)


def _send(delivery: Delivery) -> tuple[int | None, str, str]:
    """POST one delivery; (status or None, start of the response, error text)."""
    if not delivery.subscription.url.lower().startswith(("http://", "https://")):
        return None, "", "Only http:// and https:// addresses receive webhooks."
    body = payload(delivery)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    headers.update(signed_headers(delivery.subscription.secret, delivery.message_id, body))
    request = urllib.request.Request(delivery.subscription.url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only, checked above
    try:
        with _opener.open(request, timeout=settings.KB_WEBHOOK_TIMEOUT) as response:
            return response.status, response.read(500).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(500).decode("utf-8", "replace"), f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, "", str(getattr(error, "reason", error))[:500]


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: doubling from the base, up to the cap."""
    seconds = settings.KB_WEBHOOK_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.KB_WEBHOOK_RETRY_CAP))


def _attempt(subscription: Subscription, delivery: Delivery) -> bool:
    status, body, error = _send(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status, delivery.response_body = status, body[:500]
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.status, delivery.delivered_at, delivery.error = DeliveryStatus.SUCCEEDED, now, ""
        subscription.consecutive_failures = 0
    else:
        delivery.error = error or f"HTTP {status}"
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        subscription.consecutive_failures += 1
        if subscription.consecutive_failures >= settings.KB_WEBHOOK_DISABLE_AFTER:
            delivery.status = DeliveryStatus.FAILED
            subscription.is_active = False
            subscription.disabled_reason = (
                f"Switched off after {subscription.consecutive_failures} failed attempts in a row "
                f"(last: {delivery.error})."
            )[:300]
            logger.warning("webhook subscription %s switched off: %s", subscription.pk, delivery.error)
    with transaction.atomic():
        delivery.save()
        subscription.save(update_fields=["consecutive_failures", "is_active", "disabled_reason", "updated_at"])
    return ok


def _claim(subscription_id: int) -> bool:
    """Hold a subscription for this worker for a while; False when another worker holds it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.KB_WEBHOOK_TIMEOUT + 30)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(Subscription.objects.filter(free, pk=subscription_id, is_active=True).update(claimed_until=lease))


def process(subscription_id: int) -> int:
    """Fan out and send what is due for one subscription; the number delivered.

    The worker claims the subscription first, so two workers never send its events at once (or out
    of order); each attempt's outcome commits on its own, so a crash repeats at most one delivery.
    """
    if not _claim(subscription_id):
        return 0
    delivered = 0
    try:
        subscription = Subscription.objects.get(pk=subscription_id)
        with transaction.atomic():
            fan_out(subscription)
        pending = (
            subscription.deliveries.filter(status=DeliveryStatus.PENDING)
            .select_related("event")
            .order_by("event__kb_version", "event_id", "pk")[:SEND_BATCH]
        )
        for delivery in pending:
            if delivery.next_attempt_at > timezone.now():
                break  # the head of the queue is waiting out its back-off: later events wait behind it
            delivery.subscription = subscription
            _claim_again(subscription_id)
            if not _attempt(subscription, delivery):
                break
            delivered += 1
    finally:
        Subscription.objects.filter(pk=subscription_id).update(claimed_until=None)
    return delivered


def _claim_again(subscription_id: int) -> None:
    lease = timezone.now() + timedelta(seconds=settings.KB_WEBHOOK_TIMEOUT + 30)
    Subscription.objects.filter(pk=subscription_id).update(claimed_until=lease)


def run_once() -> int:
    """One pass over every active subscription; the number of deliveries made."""
    return sum(process(pk) for pk in Subscription.objects.filter(is_active=True).values_list("pk", flat=True))
