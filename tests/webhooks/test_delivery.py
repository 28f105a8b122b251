"""Webhooks reach a receiver on loopback signed (Standard Webhooks), once each, in order, despite outages."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from knowledge import services
from roles.models import Role, RoleFact
from webhooks import delivery
from webhooks.models import Delivery, DeliveryStatus
from webhooks.services import subscription_create

from kb_testing import Receiver

PORT = 8341


@pytest.fixture
def receiver():
    receiver = Receiver(PORT).start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def _quick_retries(settings):
    settings.KB_WEBHOOK_RETRY_BASE = 0  # every retry is due at once; back-off is tested on its own
    settings.KB_WEBHOOK_TIMEOUT = 2


def _fact(slug: str, text: str) -> RoleFact:
    role = Role.objects.get(slug=slug)
    return services.content_create(
        model=RoleFact, data={"role": role, "kind": "overview", "text_en": text, "editorial": True}, user=None
    )


def _events(receiver):
    return [json.loads(body) for _headers, body in receiver.received]


def test_a_delivery_is_signed_per_standard_webhooks_and_says_what_changed(receiver, kb):
    subscription = subscription_create(data={"url": receiver.url})
    fact = _fact("physician", "Sees patients.")

    assert delivery.run_once() == 1

    ((headers, body),) = receiver.received
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "role_fact.created"
    assert payload["data"]["role"] == "physician"
    assert payload["data"]["url"] == f"http://127.0.0.1:8000/api/v1/facts/{fact.pk}/"
    assert headers["webhook-id"] == Delivery.objects.get().message_id
    assert headers["content-type"] == "application/json"
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43).verify(body, headers)
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_a_receiver_down_then_back_gets_every_event_once_in_order_per_role(kb):
    receiver = Receiver(PORT)  # not listening yet
    subscription = subscription_create(data={"url": receiver.url})
    written = [_fact(slug, f"fact {n}") for n in range(3) for slug in ("physician", "medical-director")]

    for _attempt in range(3):  # the worker keeps trying while the receiver is down
        assert delivery.run_once() == 0
    head = Delivery.objects.order_by("event__kb_version", "event_id").first()
    assert (head.attempts, head.status, head.response_status) == (3, DeliveryStatus.PENDING, None)
    assert "refused" in head.error.lower()
    assert Delivery.objects.filter(attempts=0).count() == 5  # later events wait behind the head

    receiver.start()
    try:
        assert delivery.run_once() == 6
        assert delivery.run_once() == 0
    finally:
        receiver.stop()

    ids = [headers["webhook-id"] for headers, _body in receiver.received]
    assert len(ids) == len(set(ids)) == 6
    for slug in ("physician", "medical-director"):
        got = [e["data"]["id"] for e in _events(receiver) if e["data"]["role"] == slug]
        assert got == [str(fact.pk) for fact in written if fact.role.slug == slug]
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_retries_back_off_exponentially_up_to_a_cap(settings):
    settings.KB_WEBHOOK_RETRY_BASE, settings.KB_WEBHOOK_RETRY_CAP = 5, 60

    assert [delivery.backoff(n) for n in (1, 2, 3, 4, 5)] == [timedelta(seconds=s) for s in (5, 10, 20, 40, 60)]


def test_a_failing_head_waits_out_its_back_off(settings, kb):
    settings.KB_WEBHOOK_RETRY_BASE = 300
    receiver = Receiver(PORT, status=500).start()
    try:
        subscription_create(data={"url": receiver.url})
        _fact("physician", "One.")
        delivery.run_once()
        delivery.run_once()
    finally:
        receiver.stop()
    assert len(receiver.received) == 1
    row = Delivery.objects.get()
    assert (row.attempts, row.response_status, row.error) == (1, 500, "HTTP 500")


def test_repeated_failures_switch_a_subscription_off_and_switching_it_on_resumes(settings, kb, admin_client):
    settings.KB_WEBHOOK_DISABLE_AFTER = 3
    receiver = Receiver(PORT)
    subscription = subscription_create(data={"url": receiver.url})
    _fact("physician", "One.")
    _fact("physician", "Two.")
    for _attempt in range(5):
        delivery.run_once()
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason.startswith("Switched off after 3 failed attempts in a row")
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 1

    response = admin_client.patch(
        f"/api/v1/webhooks/{subscription.pk}/", {"is_active": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["disabled_reason"] == ""
    receiver.start()
    try:
        assert delivery.run_once() == 2
    finally:
        receiver.stop()
    assert [e["type"] for e in _events(receiver)] == ["role_fact.created", "role_fact.created"]


def test_a_subscription_gets_only_the_event_types_it_asked_for(receiver, kb):
    subscription_create(data={"url": receiver.url, "event_types": ["role.*"]})
    _fact("physician", "Not wanted.")
    services.content_update(
        instance=Role.objects.get(slug="physician"), data={"abbreviation": "MD"}, user=None, expected_version=None
    )

    delivery.run_once()

    assert [(e["type"], e["data"]["role"]) for e in _events(receiver)] == [("role.updated", "physician")]


def test_the_worker_command_sends_what_is_due(receiver, kb):
    subscription_create(data={"url": receiver.url})
    _fact("physician", "Via the command.")

    call_command("run_webhooks", "--once")

    assert len(receiver.received) == 1
