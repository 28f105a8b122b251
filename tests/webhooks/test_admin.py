"""Webhook subscriptions in the admin: register one, read its delivery log, send a delivery again."""

from knowledge import services
from roles.models import Role, RoleFact
from webhooks import delivery
from webhooks.models import Delivery, Subscription
from webhooks.services import subscription_create


def test_an_administrator_registers_a_subscription_in_the_admin(admin_client, kb):
    page = admin_client.get("/admin/webhooks/subscription/add/")
    assert page.status_code == 200

    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {"url": "https://hris.example.org/hook", "description": "HRIS", "event_types": '["role.*"]',
         "secret": "whsec_" + "QUJD" * 11, "is_active": "on",
         "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    assert (subscription.url, subscription.event_types) == ("https://hris.example.org/hook", ["role.*"])
    assert subscription.cursor_id > 0  # starts at the end of the feed: events from now on
    assert admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").status_code == 200


def test_the_redeliver_action_queues_the_event_again(admin_client, kb):
    subscription = subscription_create(data={"url": "http://127.0.0.1:8349/none"})
    services.content_create(
        model=RoleFact,
        data={"role": Role.objects.get(slug="physician"), "kind": "overview", "text_en": "x", "editorial": True},
        user=None,
    )
    delivery.fan_out(subscription)
    first = Delivery.objects.get()

    response = admin_client.post(
        "/admin/webhooks/delivery/", {"action": "redeliver", "_selected_action": [first.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "1 delivery will be sent again." in response.content.decode()
    assert Delivery.objects.filter(redelivery_of=first).count() == 1
    assert admin_client.get("/admin/webhooks/delivery/").status_code == 200
