"""Subscriptions and their delivery logs through the API: administrators only, validated, redeliverable."""

import pytest

from knowledge import services
from roles.models import Role, RoleFact
from webhooks import delivery
from webhooks.models import Subscription

from kb_testing import Receiver


@pytest.fixture
def receiver():
    receiver = Receiver(8342).start()
    yield receiver
    receiver.stop()


def test_an_administrator_registers_a_subscription_and_gets_its_address_and_secret(admin_client, kb):
    response = admin_client.post(
        "/api/v1/webhooks/",
        {"url": "https://hris.example.org/hooks/kb", "description": "HRIS", "event_types": ["role.*"]},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"http://testserver/api/v1/webhooks/{body['id']}/"
    assert body["secret"].startswith("whsec_")
    assert body["deliveries"] == f"http://testserver/api/v1/webhooks/{body['id']}/deliveries/"
    assert (body["is_active"], body["event_types"]) == (True, ["role.*"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "https://example.org/x", "event_types": ["role.exploded"]}, "event_types"),
        ({"url": "https://example.org/x", "secret": "not-a-secret"}, "secret"),
    ],
)
def test_bad_subscriptions_are_refused_with_a_problem(admin_client, kb, payload, field):
    response = admin_client.post("/api/v1/webhooks/", payload, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


def test_editors_and_visitors_cannot_see_or_register_subscriptions(token_client, anon_client, staff_editor, kb):
    assert token_client.get("/api/v1/webhooks/").status_code == 403
    assert token_client.post("/api/v1/webhooks/", {"url": "https://x.org/"}, format="json").status_code == 403
    assert anon_client.get("/api/v1/webhooks/").status_code == 401
    assert not Subscription.objects.exists()


def test_the_delivery_log_lists_attempts_and_a_delivery_can_be_sent_again(admin_client, receiver, kb):
    created = admin_client.post("/api/v1/webhooks/", {"url": receiver.url}, content_type="application/json").json()
    role = Role.objects.get(slug="physician")
    services.content_create(
        model=RoleFact, data={"role": role, "kind": "overview", "text_en": "Hi.", "editorial": True}, user=None
    )
    delivery.run_once()

    log = admin_client.get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()
    (entry,) = log["results"]
    assert (entry["status"], entry["attempts"], entry["response_status"], entry["event"]["type"]) == (
        "succeeded", 1, 204, "role_fact.created",
    )  # fmt: skip

    again = admin_client.post(f"/api/v1/webhooks/{created['id']}/deliveries/{entry['id']}/redeliver/")
    assert again.status_code == 202
    assert again.json()["redelivery_of"] == entry["id"]
    delivery.run_once()
    assert [h["webhook-id"] for h, _b in receiver.received] == [entry["webhook_id"]] * 2
    missing = admin_client.post(f"/api/v1/webhooks/{created['id']}/deliveries/999999/redeliver/")
    assert missing.status_code == 404
