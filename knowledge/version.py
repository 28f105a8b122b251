"""The knowledge base's version: one number that every write to the content bumps.

Whole-response caching (``cmo_kb.response_cache``) and the ETags of list-like responses are keyed
by it, so a write anywhere invalidates every cached page and API response at once — in every
server process, because the number lives in the database, not in a process's memory.

Why signals here, when business logic lives in services? Cache invalidation is infrastructure that
must hold for *every* write path — the services, the admin, ``load_kb``, imports, history reverts,
a shell session — and a path that forgot to call ``bump()`` would serve stale pages indefinitely.
``post_save``/``post_delete``/``m2m_changed`` on every content model catch all of them; only bulk
operations that bypass signals (``bulk_create``, ``QuerySet.update``, raw deletes) must call
``bump()`` themselves, as the demo generator does.

The bump runs inside the writer's transaction (``version = version + 1`` on one row), so readers
see the new version exactly when they can see the new data.
"""

import time

from django.db import connections, models, router
from django.db.models.signals import m2m_changed, post_delete, post_save
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
    """Advance the version. Call after writes that bypass model signals (bulk operations)."""
    if KnowledgeBaseState.objects.filter(pk=STATE_PK).update(
        version=models.F("version") + 1, changed_at=timezone.now()
    ):
        return
    # First write ever (or the table was emptied): start from the clock in microseconds, so a
    # recreated row never repeats a version some cache may still hold entries for.
    KnowledgeBaseState.objects.get_or_create(pk=STATE_PK, defaults={"version": time.time_ns() // 1000})


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: fixtures are loaded before anything is cached
        return
    bump()


def _m2m_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump()


def watch(model: type[models.Model]) -> None:
    """Bump the version whenever a row of ``model`` (or one of its many-to-many links) changes."""
    uid = f"kb_version:{model._meta.label}"
    post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
    post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}")


def watch_content_models() -> None:
    """Watch every content model of every app: the models that hold seeded knowledge (``Seeded``)."""
    from django.apps import apps

    from .models import Seeded

    for model in apps.get_models():
        if issubclass(model, Seeded):
            watch(model)
