"""The knowledge base's version: one number that every write to the content bumps.

Whole-response caching (``knowledge.response_cache``) and the ETags of list-like responses are keyed
by it, so a write anywhere invalidates every cached page and API response at once — in every
server process, because the number lives in the database, not in a process's memory.

Every write in the write layer (``knowledge.services``, and ``knowledge.restore`` for whole backups)
bumps it explicitly, as the first statement of its transaction; so does the demo generator, which
writes in bulk. That is the one rule: a write that does not go through the write layer must call
``bump()`` itself. (Model signals used to do this; they also fired for raw saves that skip every
other rule, and hid the rule from the code that writes.)

The bump runs inside the writer's transaction (``version = version + 1`` on one row), so readers
see the new version exactly when they can see the new data.
"""

import time

from django.db import connections, models, router
from django.utils import timezone

from .models import KnowledgeBaseState

STATE_PK = 1
# Identifiers quoted the SQL-standard way, which every supported database (SQLite, PostgreSQL) reads.
_CURRENT_SQL = 'SELECT "{version}" FROM "{table}" WHERE "{pk}" = %s'.format(  # noqa: S608 - model metadata
    version=KnowledgeBaseState._meta.get_field("version").column,
    table=KnowledgeBaseState._meta.db_table,
    pk=KnowledgeBaseState._meta.pk.column,
)


def current() -> int:
    """The current version (one indexed primary-key read); 0 before the first write."""
    # Every cached response starts here, so this is plain SQL: building the same query through the
    # ORM costs several times the database round trip itself.
    with connections[router.db_for_read(KnowledgeBaseState)].cursor() as cursor:
        cursor.execute(_CURRENT_SQL, [STATE_PK])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump() -> None:
    """Advance the version, inside the writer's transaction (the write layer calls it; bulk writers too)."""
    if KnowledgeBaseState.objects.filter(pk=STATE_PK).update(
        version=models.F("version") + 1, changed_at=timezone.now()
    ):
        return
    # First write ever (or the table was emptied): start from the clock in microseconds, so a
    # recreated row never repeats a version some cache may still hold entries for.
    KnowledgeBaseState.objects.get_or_create(pk=STATE_PK, defaults={"version": time.time_ns() // 1000})
