"""Writes to the knowledge base, shared by the edit pages and the API.

Every write runs in one transaction, validates with the model's own rules
(``full_clean``), records who made it in the history, and refuses a stale edit:
the caller passes the row version its user saw, and if someone saved in between,
``StaleEdit`` carries the newer row so the user can compare without losing input.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The row changed since the user loaded it; ``current`` is the row as it is now."""

    def __init__(self, current: models.Model, expected_version: int):
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            _("Someone else saved this in the meantime (version %(current)s, you edited version %(expected)s).")
            % {"current": current.version, "expected": expected_version}
        )


def _lock(instance: models.Model) -> models.Model:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _check_version(current: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEdit(current, int(expected_version))


def _save(instance: models.Model, *, user, reason: str | None) -> None:
    instance._history_user = user if user is not None and user.is_authenticated else None
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    try:
        instance.save()
    except IntegrityError as error:
        # A constraint the model checks could not see (e.g. a concurrent duplicate).
        raise ValidationError(_("This change conflicts with existing data: %(error)s") % {"error": error}) from error


@transaction.atomic
def content_create(*, model: type[models.Model], data: dict, user, reason: str | None = None) -> models.Model:
    instance = model(**data)
    _save(instance, user=user, reason=reason)
    return instance


@transaction.atomic
def content_update(
    *, instance: models.Model, data: dict, user, expected_version: int | None, reason: str | None = None
) -> models.Model:
    """Apply ``data`` to ``instance`` if nobody saved it since ``expected_version`` (None skips the check)."""
    current = _lock(instance)
    _check_version(current, expected_version)
    for name, value in data.items():
        setattr(current, name, value)
    _save(current, user=user, reason=reason)
    return current


@transaction.atomic
def content_delete(*, instance: models.Model, user, expected_version: int | None, reason: str | None = None) -> None:
    current = _lock(instance)
    _check_version(current, expected_version)
    current._history_user = user if user is not None and user.is_authenticated else None
    if reason:
        current._change_reason = reason
    current.delete()


@transaction.atomic
def reorder(*, queryset: models.QuerySet, ordered_pks: list[int], user) -> None:
    """Give the rows of ``queryset`` the order of ``ordered_pks`` (all of them, once each) in one transaction."""
    rows = {row.pk: row for row in queryset.select_for_update()}
    if sorted(rows) != sorted(ordered_pks):
        raise ValidationError(_("The new order must list every item exactly once."))
    for position, pk in enumerate(ordered_pks, start=1):
        row = rows[pk]
        if row.position != position:
            row.position = position
            row._history_user = user if user is not None and user.is_authenticated else None
            row._change_reason = _("Reordered")
            row.save()
