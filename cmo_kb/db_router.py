"""Read replicas: reads go to a replica, writes and everything after them to the primary.

Enabled by ``DATABASE_REPLICA_URLS`` (see settings). PostgreSQL streaming replicas
lag the primary slightly, so a request that has written — or is inside a
transaction on the primary, where ``select_for_update`` and the optimistic
version checks must see the row they will update — keeps reading from the
primary until it ends (``PrimaryPinMiddleware`` clears the pin per request).

A request reads from one replica only: replicas lag by different amounts, and the
knowledge-base version a cached response is stored under must come from the same
database as the content it describes. Requests are spread over the replicas.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

_pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)
_request_replica: ContextVar[str | None] = ContextVar("request_replica", default=None)

PRIMARY = "default"


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned_to_primary.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        replica = _request_replica.get()
        if replica is None:
            replica = random.choice(replicas)
            _request_replica.set(replica)
        return replica

    def db_for_write(self, model, **hints):
        _pinned_to_primary.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary, so objects from any of them may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas receive the schema by replication; only the primary is migrated.
        return db == PRIMARY


class PrimaryPinMiddleware:
    """Start every request unpinned, on a replica of its own; a write pins it to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pin = _pinned_to_primary.set(False)
        replica = _request_replica.set(None)
        try:
            return self.get_response(request)
        finally:
            _request_replica.reset(replica)
            _pinned_to_primary.reset(pin)
