"""The knowledge base's versions: one number that every write bumps, and one per part of the pages.

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

Scopes narrow that for the pages read most: a role's page, PDF and API detail are keyed by the
versions of ``role:<slug>`` and ``structure``; the org chart by ``structure``; the directory by
``directory``. The write layer bumps, beside the global version, the scopes of each row it saves or
deletes (``touch``): a model names its own with ``cache_scopes(change)``; a model that does not
(or ``bump()``, for bulk writers) bumps ``structure`` and ``directory``, which every scoped page
depends on — so an unknown write invalidates everything, and a duty's edit only its role's pages.
"""

import time

from django.db import connections, models, router
from django.utils import timezone

from .models import KnowledgeBaseState, ScopeVersion

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


STRUCTURE = "structure"  # what many pages show: role names, reporting lines, sources, the matrix
DIRECTORY = "directory"  # the directory's rows: each role's title, level, summary and duty count
EVERYTHING = frozenset({STRUCTURE, DIRECTORY})
CREATE, UPDATE, DELETE = "create", "update", "delete"

_SCOPE_TABLE = ScopeVersion._meta.db_table
_SCOPES_SQL = f'SELECT "scope", "version" FROM "{_SCOPE_TABLE}" WHERE "scope" IN ({{marks}})'  # noqa: S608 - model metadata
# Both supported databases (SQLite >= 3.24, PostgreSQL) read this upsert the same way.
_TOUCH_SQL = (
    f'INSERT INTO "{_SCOPE_TABLE}" ("scope", "version") VALUES (%s, %s) '  # noqa: S608 - model metadata
    f'ON CONFLICT ("scope") DO UPDATE SET "version" = "{_SCOPE_TABLE}"."version" + 1'
)


def role_scope(slug: str) -> str:
    return f"role:{slug}"


def scoped(scopes: tuple[str, ...]) -> str:
    """The versions of ``scopes`` as one token for cache keys and ETags (one query)."""
    marks = ", ".join(["%s"] * len(scopes))
    with connections[router.db_for_read(ScopeVersion)].cursor() as cursor:
        cursor.execute(_SCOPES_SQL.format(marks=marks), list(scopes))
        found = dict(cursor.fetchall())
    return ".".join(str(found.get(scope, 0)) for scope in scopes)


def scopes_of(instance, change: str) -> frozenset[str]:
    """What a write of ``instance`` may change on the pages (``EVERYTHING`` unless its model says less)."""
    named = getattr(instance, "cache_scopes", None)
    return frozenset(named(change)) if named is not None else EVERYTHING


def touch(scopes) -> None:
    """Advance each of ``scopes``, inside the writer's transaction (after ``begin_write``)."""
    # A new scope starts from the clock, so a recreated row never repeats a version a cache holds.
    start = time.time_ns() // 1000
    with connections[router.db_for_write(ScopeVersion)].cursor() as cursor:
        for scope in sorted(scopes):  # one order for every writer: no deadlock between two
            cursor.execute(_TOUCH_SQL, [scope, start])


def bump() -> None:
    """Everything may have changed: the global version and every scope (bulk writers, restores, loads)."""
    begin_write()
    touch(EVERYTHING)


def begin_write() -> None:
    """Advance the global version; the write layer then ``touch``-es the scopes of each row it writes."""
    if KnowledgeBaseState.objects.filter(pk=STATE_PK).update(
        version=models.F("version") + 1, changed_at=timezone.now()
    ):
        return
    # First write ever (or the table was emptied): start from the clock in microseconds, so a
    # recreated row never repeats a version some cache may still hold entries for.
    KnowledgeBaseState.objects.get_or_create(pk=STATE_PK, defaults={"version": time.time_ns() // 1000})
