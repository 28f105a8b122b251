"""The change feed (/api/v1/changes/): every committed change once, in commit order, from a cursor on."""

from knowledge import feed, services
from knowledge.models import FeedEvent
from responsibilities.models import Duty
from roles.models import Role


def _all(client, since="0", **params):
    """Every event after ``since``, page by page as a client follows the cursor; and the last cursor."""
    events = []
    while True:
        body = client.get("/api/v1/changes/", {"since": since, **params}).json()
        events += body["changes"]
        since = body["next_cursor"]
        if not body["has_more"]:
            return events, since


def _head(client):
    return _all(client)[1]


def test_an_api_create_update_and_delete_appear_in_order_with_role_and_address(token_client, anon_client, kb):
    since = _head(anon_client)
    created = token_client.post(
        "/api/v1/duties/",
        {"role": "physician", "category": "clinical", "title": "Keep records", "title_nb": "Føre journal",
         "editorial": True},
        format="json",
    ).json()  # fmt: skip
    duty_id = created["id"]
    token_client.patch(f"/api/v1/duties/{duty_id}/", {"title": "Keep patient records", "version": 1}, format="json")
    token_client.delete(f"/api/v1/duties/{duty_id}/", HTTP_IF_MATCH="*")

    events, _cursor = _all(anon_client, since)

    assert [(e["type"], e["resource"], e["id"], e["role"], e["version"]) for e in events] == [
        ("duty.created", "duty", str(duty_id), "physician", 1),
        ("duty.updated", "duty", str(duty_id), "physician", 2),
        ("duty.deleted", "duty", str(duty_id), "physician", 2),
    ]
    assert events[0]["url"] == f"http://testserver/api/v1/duties/{duty_id}/"
    assert events[2]["url"] is None
    assert events[0]["kb_version"] < events[1]["kb_version"] < events[2]["kb_version"]


def test_deleting_a_role_records_the_rows_the_delete_takes_with_it(anon_client, kb):
    role = services.content_create(
        model=Role,
        data={"slug": "porter", "title_en": "Porter", "title_nb": "Portør", "level": "clinician", "editorial": True},
        user=None,
    )
    services.content_create(
        model=Duty,
        data={
            "role": role,
            "category_id": Duty.objects.first().category_id,
            "title_en": "Carry",
            "title_nb": "Bære",
            "editorial": True,
        },
        user=None,
    )
    since = _head(anon_client)

    services.content_delete(instance=role, user=None, expected_version=None)

    events, _cursor = _all(anon_client, since)
    assert sorted((e["type"], e["role"]) for e in events) == [("duty.deleted", "porter"), ("role.deleted", "porter")]
    assert len({e["kb_version"] for e in events}) == 1  # one transaction, one version


def test_small_pages_give_every_event_once_and_the_cursor_continues(anon_client, kb):
    every, head = _all(anon_client)
    paged, paged_head = _all(anon_client, limit="7")

    assert [e["cursor"] for e in paged] == [e["cursor"] for e in every]
    assert len({e["cursor"] for e in every}) == len(every) == FeedEvent.objects.count() > 7
    assert paged_head == head
    body = anon_client.get("/api/v1/changes/", {"since": head}).json()
    assert body == {"changes": [], "next_cursor": head, "has_more": False, "next": None}


def test_loading_the_knowledge_base_is_in_the_feed_with_role_slugs(anon_client, kb):
    events, _cursor = _all(anon_client, role="chief-medical-officer", type="role.*")

    assert [(e["type"], e["url"]) for e in events] == [
        ("role.created", "http://testserver/api/v1/roles/chief-medical-officer/")
    ]


def test_a_page_link_keeps_the_filters(anon_client, kb):
    body = anon_client.get("/api/v1/changes/", {"limit": "2", "type": "duty.created"}).json()

    assert body["has_more"] is True
    assert body["next"] == f"http://testserver/api/v1/changes/?limit=2&type=duty.created&since={body['next_cursor']}"


def test_a_bad_cursor_or_limit_is_a_400_problem(anon_client, kb):
    for params, field in [({"since": "yesterday"}, "since"), ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit")]:
        response = anon_client.get("/api/v1/changes/", params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert list(response.json()["errors"]) == [field]


def test_a_new_event_type_can_be_registered_and_recorded(kb):
    feed.register_event_type("publication.created", "A draft was published.")
    try:
        services.content_update(instance=Role.objects.first(), data={}, user=None, expected_version=None)
        event = feed.record_event("publication.created", resource="publication", object_id="1", role="physician")
        assert event.event_type in feed.EVENT_TYPES
        assert FeedEvent.objects.order_by("kb_version", "id").last() == event
    finally:
        feed.EVENT_TYPES.pop("publication.created")


def test_a_page_costs_one_query(anon_client, kb, django_assert_num_queries):
    with django_assert_num_queries(1):
        anon_client.get("/api/v1/changes/", {"limit": "50"})


def test_latest_gives_the_cursor_of_the_end_of_the_feed(anon_client, kb):
    body = anon_client.get("/api/v1/changes/", {"since": "latest"}).json()

    assert body == {"changes": [], "next_cursor": _head(anon_client), "has_more": False, "next": None}
