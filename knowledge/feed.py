"""The change feed: every committed change to the knowledge base, in commit order.

The write layer (``knowledge.services``, ``knowledge.restore``, bulk loaders) calls ``record`` for
each row it creates, changes or deletes, inside its own transaction, so an event is committed with
its change or not at all. The same table is the webhooks' transactional outbox.

Commit order. Every writer moves the knowledge base's version forward as the first statement of its
transaction (``knowledge.version.bump``): an ``UPDATE`` of one row, whose lock it then holds until it
commits. An event takes the version its writer holds, so a writer that commits later always has a
higher version than every writer that committed before it, and no event with a lower version than
one a reader has seen can still be uncommitted. ``(kb_version, id)`` is therefore commit order on
PostgreSQL (and on SQLite, whose writers take turns); a plain sequence id alone is not, because ids
are handed out at insert time, not at commit.

Event types are ``<resource>.<action>`` (``role.updated``, ``duty.deleted``) plus the types in
``EVENT_TYPES``. Another kind of event (e.g. ``publication.created`` when a draft is published) is
added with ``register_event_type`` in its app's ``ready()`` and recorded with ``record_event``.
"""

import re

from django.db import models
from django.db.models.deletion import Collector
from django.utils.translation import gettext_lazy as _

from .models import FeedEvent, KnowledgeBaseState
from .version import STATE_PK

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
ACTIONS = (CREATED, UPDATED, DELETED)
KB_RESTORED = "knowledge_base.restored"
KB_BULK_LOADED = "knowledge_base.bulk_loaded"

# Event types that are not a row's create/update/delete; each says what a consumer should do.
EVENT_TYPES: dict[str, str] = {
    KB_RESTORED: str(_("The whole knowledge base was replaced from a backup: read everything again.")),
    KB_BULK_LOADED: str(_("Many rows were added at once (demo data): read everything again.")),
}
# The resources whose rows are recorded (model → name in events), filled in as models are first seen.
_RESOURCES: dict[type[models.Model], str] = {}


def register_event_type(event_type: str, description: str) -> None:
    """Make a new kind of event known (listed in the API schema and offered to webhook subscriptions)."""
    EVENT_TYPES[event_type] = description


def resource_name(model: type[models.Model]) -> str:
    """A model's name in events: ``ReportingLine`` → ``reporting_line``."""
    if model not in _RESOURCES:
        concrete = model._meta.concrete_model or model
        _RESOURCES[model] = re.sub(r"(?<!^)(?=[A-Z])", "_", concrete.__name__).lower()
    return _RESOURCES[model]


def role_of(instance: models.Model) -> str:
    """The slug of the role a row belongs to ('' for rows of no one role, such as sources)."""
    path = getattr(type(instance), "feed_role", "role.slug")
    value: object = instance
    for part in path.split("."):
        try:
            value = getattr(value, part)
        except (AttributeError, models.ObjectDoesNotExist):
            return ""
        if value is None:
            return ""
    return str(value)


def _held_version():
    # The version this transaction's writer bumped (and holds the lock on): read inside the INSERT.
    return models.Subquery(KnowledgeBaseState.objects.filter(pk=STATE_PK).values("version")[:1])


def record(instance: models.Model, action: str) -> None:
    """Record that ``instance`` was created, updated or deleted (call inside the writer's transaction)."""
    resource = resource_name(type(instance))
    record_event(
        f"{resource}.{action}",
        resource=resource,
        object_id=str(instance.pk),
        role=role_of(instance),
        row_version=getattr(instance, "version", None),
        data={"slug": slug} if (slug := getattr(instance, "slug", None)) else None,
    )


def record_deletion(instance: models.Model) -> None:
    """Record the deletion of ``instance`` and of every row the delete cascades to (call before deleting)."""
    collector = Collector(using=instance._state.db or "default")
    collector.collect([instance])
    for model, rows in collector.data.items():
        if getattr(model, "history_exempt", False) or model.__name__.startswith("Historical"):
            continue
        for row in sorted(rows, key=lambda row: row.pk):
            record(row, DELETED)
    for queryset in collector.fast_deletes:
        for row in queryset:
            record(row, DELETED)


def record_event(
    event_type: str,
    *,
    resource: str = "",
    object_id: str = "",
    role: str = "",
    row_version: int | None = None,
    data: dict | None = None,
) -> FeedEvent:
    """Record any event; the writer must have bumped the knowledge base's version in this transaction."""
    return FeedEvent.objects.create(
        kb_version=_held_version(),
        event_type=event_type,
        resource=resource,
        object_id=object_id,
        role=role,
        row_version=row_version,
        data=data or {},
    )


class BadCursor(ValueError):
    pass


def parse_cursor(raw: str | None) -> tuple[int, int]:
    """``"<kb_version>-<id>"`` as the feed hands it out; empty or ``0`` is the beginning."""
    if raw in (None, "", "0"):
        return (0, 0)
    match = re.fullmatch(r"(\d{1,19})-(\d{1,19})", raw or "")
    if not match:
        raise BadCursor(raw)
    return int(match.group(1)), int(match.group(2))


def after(cursor: tuple[int, int]) -> models.QuerySet:
    """The events after ``cursor``, in commit order."""
    kb_version, event_id = cursor
    return FeedEvent.objects.filter(
        models.Q(kb_version__gt=kb_version) | models.Q(kb_version=kb_version, id__gt=event_id)
    ).order_by("kb_version", "id")


def known_event_types() -> list[str]:
    """Every event type the feed records: each content model's created/updated/deleted, then the others."""
    from .contents import content_models

    per_row = [f"{resource_name(model)}.{action}" for model in content_models() for action in ACTIONS]
    return per_row + sorted(EVENT_TYPES)
