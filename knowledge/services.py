"""The write layer: every change to the knowledge base goes through these functions.

Every write runs in one transaction, validates with the model's own rules
(``full_clean``), records who made it in the history, and refuses a stale edit:
the caller passes the row version its user saw, and if someone saved in between,
``StaleEdit`` carries the newer row so the user can compare without losing input.

Every write also moves the knowledge base's version forward (``knowledge.version``), as its first
statement: the pages, the API, the admin, ``load_kb``, ``import_kb`` and history reverts all write
here, so no cache outlives a change. Taking that one row's lock first also makes concurrent writers
take turns, so rules that span rows — no reporting cycles, excerpts that occur in their source's
current text — are checked against what the writer before has committed. Whole-knowledge-base
restores go through ``knowledge.restore``, under the same rules.

Each write records its changes in the change feed (``knowledge.feed``) in the same transaction.
"""

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import citations, feed, version
from .languages import translated_fields
from .models import Cited, Source, Versioned

Row = TypeVar("Row", bound=Versioned)


class StaleEdit(Exception):
    """The row changed since the user loaded it; ``current`` is the row as it is now."""

    def __init__(self, current: Versioned, expected_version: int):
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            _("Someone else saved this in the meantime (version %(current)s, you edited version %(expected)s).")
            % {"current": current.version, "expected": expected_version}
        )


def _lock(instance: Row) -> Row:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _check_version(current: Versioned, expected_version: int | None) -> None:
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEdit(current, int(expected_version))


def _begin_write() -> None:
    """Move the knowledge base's version forward; first in every write (see the module's docstring).

    Each row saved or deleted then advances the versions of the pages it shows on (``version.touch``).
    """
    version.begin_write()


def _save(instance: Versioned, *, user, reason: str | None, force_insert: bool = False) -> None:
    instance._history_user = _acting(user)
    if reason:
        instance._change_reason = reason
    if isinstance(instance, Cited) and instance.source_id is not None:
        # Check the excerpt against the source as committed now, not as the form loaded it.
        current_source = Source._default_manager.filter(pk=instance.source_id).first()
        if current_source is not None:
            instance.source = current_source
    instance.full_clean()
    citations.validate_source_text(instance)
    adding = instance._state.adding
    try:
        instance.save(force_insert=force_insert)
    except IntegrityError as error:
        # A constraint the model checks could not see (e.g. a concurrent duplicate).
        raise ValidationError(_("This change conflicts with existing data: %(error)s") % {"error": error}) from error
    feed.record(instance, feed.CREATED if adding else feed.UPDATED)
    version.touch(version.scopes_of(instance, version.CREATE if force_insert or adding else version.UPDATE))


def next_position(queryset: models.QuerySet) -> int:
    """The position after the last row of ``queryset`` (new rows go to the end of their list)."""
    return (queryset.order_by().aggregate(last=models.Max("position"))["last"] or 0) + 1


@transaction.atomic
def content_create(*, model: type[Row], data: dict, user, reason: str | None = None) -> Row:
    _begin_write()
    instance = model(**data)
    _save(instance, user=user, reason=reason)
    return instance


@transaction.atomic
def content_update(*, instance: Row, data: dict, user, expected_version: int | None, reason: str | None = None) -> Row:
    """Apply ``data`` to ``instance`` if nobody saved it since ``expected_version`` (None skips the check).

    Data that changes nothing saves nothing: no new row version, no history entry.
    """
    _begin_write()
    current = _lock(instance)
    _check_version(current, expected_version)
    changes = {name: value for name, value in data.items() if _differs(getattr(current, name), value)}
    if changes:
        # Where the row shows before the change: a row moved to another role changes both roles' pages.
        shown_before = version.scopes_of(current, version.UPDATE)
        removed_from = version.scopes_of(current, version.DELETE)
        for name, value in changes.items():
            setattr(current, name, value)
        _save(current, user=user, reason=reason)
        if version.scopes_of(current, version.UPDATE) != shown_before:
            version.touch(removed_from | version.scopes_of(current, version.CREATE))
    return current


def _differs(old, new) -> bool:
    # A blank optional translation is stored as "" by one writer and None by another (the form
    # cleans a blank field of a nullable column to None): both mean "no text", not a change.
    if old in ("", None) and new in ("", None):
        return False
    return old != new


@transaction.atomic
def content_delete(*, instance: Versioned, user, expected_version: int | None, reason: str | None = None) -> None:
    _begin_write()
    current = _lock(instance)
    _check_version(current, expected_version)
    current._history_user = _acting(user)
    if reason:
        current._change_reason = reason
    feed.record_deletion(current)
    version.touch(version.scopes_of(current, version.DELETE))
    current.delete()


@transaction.atomic
def reorder(*, queryset: models.QuerySet, ordered_pks: list[int], user) -> None:
    """Give the rows of ``queryset`` the order of ``ordered_pks`` (all of them, once each) in one transaction."""
    _begin_write()
    rows = {row.pk: row for row in queryset.select_related(None).select_for_update()}
    if sorted(rows) != sorted(ordered_pks):
        raise ValidationError(_("The new order must list every item exactly once."))
    for position, pk in enumerate(ordered_pks, start=1):
        row = rows[pk]
        if row.position != position:
            row.position = position
            row._history_user = _acting(user)
            row._change_reason = _("Reordered")
            row.save()
            feed.record(row, feed.UPDATED)
            version.touch(version.scopes_of(row, version.UPDATE))


def _acting(user):
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def item_move(
    *,
    queryset: models.QuerySet,
    instance: Versioned,
    offset: int,
    expected_version: int | None,
    user,
    group_by: str | None = None,
) -> bool:
    """Move ``instance`` ``offset`` places (−1 up, +1 down) among ``queryset``, in one transaction.

    ``queryset`` is the list as shown (its ordering is the display order). With
    ``group_by`` (e.g. ``"category_id"``) a row only swaps with a neighbour of the
    same group, since the page shows each group as its own list. Refuses a stale
    move (the order changed since the user saw it). Returns False when the row is
    already first or last.
    """
    _begin_write()
    # Lock the rows themselves only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins a display queryset brings along (e.g. select_related("source")).
    queryset = queryset.select_related(None)
    rows = list(queryset.select_for_update(of=("self",)) if connection.features.has_select_for_update_of else queryset)
    by_pk = {row.pk: row for row in rows}
    if instance.pk not in by_pk:
        raise type(instance).DoesNotExist
    _check_version(by_pk[instance.pk], expected_version)
    index = next(i for i, row in enumerate(rows) if row.pk == instance.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        return False
    if group_by and getattr(rows[target], group_by) != getattr(rows[index], group_by):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    reorder(queryset=queryset, ordered_pks=[row.pk for row in rows], user=user)
    return True


@dataclass
class ChildChange:
    """One row of an inline list saved together with its parent: add (no instance), change or delete."""

    instance: Versioned | None
    data: dict
    expected_version: int | None = None
    delete: bool = False


# What a revert or restore copies from a historical row: every column it recorded but the id,
# the version (the save sets it) and the plain name of a translated field (it only mirrors one
# language's column). The seed key comes back too, so load_kb still recognises a restored row.
def _restorable_values(record, model: type[models.Model]) -> dict:
    mirrored = set(translated_fields(model))
    recorded = {field.attname for field in record._meta.concrete_fields}
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "version" or field.name in mirrored or field.attname not in recorded:
            continue
        values[field.attname] = getattr(record, field.attname)
    return values


@transaction.atomic
def history_revert(*, record, user, expected_version: int | None) -> models.Model:
    """Give a row back the values of one of its historical versions; recorded as a new change."""
    model = record.instance_type
    current = model._default_manager.get(pk=record.id)
    reason = _("Reverted to the version of %(date)s") % {"date": when(record.history_date)}
    return content_update(
        instance=current,
        data=_restorable_values(record, model),
        user=user,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def history_restore(*, record, user) -> models.Model:
    """Bring back a deleted row, with its old id, from its last historical version."""
    _begin_write()
    model = record.instance_type
    if model._default_manager.filter(pk=record.id).exists():
        raise ValidationError(_("This item exists already; there is nothing to restore."))
    instance = model(pk=record.id, **_restorable_values(record, model))
    instance.version = (record.version or 0) + 1
    reason = _("Restored from the history (deleted %(date)s)") % {"date": when(record.history_date)}
    _save(instance, user=user, reason=reason, force_insert=True)
    return instance


def when(moment) -> str:
    """A moment as the history shows it (local time, short format)."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
