"""The feed is in commit order on PostgreSQL, whatever order concurrent writers started or drew ids in.

A reader that polls while writers race, and one that stops and resumes from its stored cursor
(as after a restart), both end with exactly the events of the feed: none missed, none repeated.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from knowledge import services
from knowledge.models import FeedEvent
from roles.models import Role, RoleFact

from kb_testing import run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def _role(slug):
    return services.content_create(
        model=Role,
        data={"slug": slug, "title_en": slug, "title_nb": slug, "level": "clinician", "editorial": True},
        user=None,
    )


def _poll(since):
    body = APIClient().get("/api/v1/changes/", {"since": since, "limit": "1000"}).json()
    return body["changes"], body["next_cursor"]


def test_an_event_whose_id_was_drawn_first_but_committed_last_comes_last():
    """A writer draws a feed id, then waits; another writer commits meanwhile. The feed (and a reader
    polling in between) puts the first writer's change after the second's: commit order, not id order."""
    role = _role("order-test")
    _events, since = _poll("0")
    drawn = threading.Event()
    may_commit = threading.Event()

    def slow():
        with transaction.atomic():
            # An id drawn early (as a sequence hands them out), before this writer takes the version lock.
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [FeedEvent._meta.db_table])
                early_id = cursor.fetchone()[0]
            drawn.set()
            may_commit.wait(10)
            fact = services.content_create(
                model=RoleFact, data={"role": role, "kind": "overview", "text_en": "slow", "editorial": True}, user=None
            )
            FeedEvent.objects.filter(resource="role_fact", object_id=str(fact.pk)).update(id=early_id)
        return early_id

    def fast():
        drawn.wait(10)
        fact = services.content_create(
            model=RoleFact, data={"role": role, "kind": "overview", "text_en": "fast", "editorial": True}, user=None
        )
        seen_meanwhile = _poll(since)[0]
        may_commit.set()
        return fact.pk, seen_meanwhile

    early_id, (fast_pk, seen_meanwhile) = run_together(slow, fast)

    assert [e["id"] for e in seen_meanwhile] == [str(fast_pk)]
    events, _cursor = _poll(since)
    assert [int(e["id"]) for e in events][0] == fast_pk
    assert len(events) == 2
    slow_event = FeedEvent.objects.get(pk=early_id)
    assert slow_event.pk < FeedEvent.objects.get(object_id=str(fast_pk), resource="role_fact").pk
    assert events[1]["cursor"] == slow_event.cursor  # drawn first, committed last, listed last


def test_a_poller_and_a_restarted_poller_see_every_change_of_racing_writers_once():
    roles = [_role(f"racer-{n}") for n in range(4)]
    _events, since = _poll("0")
    done = threading.Event()
    seen: list[str] = []

    def writer(role):
        def write():
            for n in range(12):
                services.content_create(
                    model=RoleFact,
                    data={"role": role, "kind": "overview", "text_en": f"fact {n}", "editorial": True},
                    user=None,
                )
            return True

        return write

    def poller():
        cursor = since
        while not done.is_set():
            events, cursor = _poll(cursor)
            seen.extend(e["cursor"] for e in events)
            time.sleep(0.005)
        events, cursor = _poll(cursor)
        seen.extend(e["cursor"] for e in events)
        connections.close_all()

    thread = threading.Thread(target=poller)
    thread.start()
    results = run_together(*(writer(role) for role in roles))
    done.set()
    thread.join(30)

    assert results == [True] * 4
    final = [e["cursor"] for e in _poll(since)[0]]
    assert len(final) == 48
    assert seen == final  # nothing missed, nothing repeated, same order
    # A reader that stopped half-way resumes from its stored cursor as if nothing happened.
    first_half, stored = _poll(since)[0][:24], final[23]
    assert [e["cursor"] for e in first_half] + [e["cursor"] for e in _poll(stored)[0]] == final
