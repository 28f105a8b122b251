"""Where an editor's change lands: straight in the rows, or in a draft that is reviewed before it is published.

The write views of the pages and the API propose their changes here instead of calling the write
layer themselves. The app that keeps drafts registers a ``DraftDesk`` at start-up; when it takes a
change (review is required and the row belongs to a role's description) the change is recorded in
that role's draft and the rows stay as published. Otherwise — no desk, review not required, or a
row that belongs to no description (a source, a duty category) — the change goes to
``knowledge.services`` as before. Publishing a draft applies it through ``knowledge.services`` too.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db import models

from . import services


@dataclass
class Drafted:
    """A change recorded in a draft rather than written to the rows."""

    draft: object  # the draft the change went into
    owner: str  # what the draft is of, for messages (the role's title)
    instance: models.Model  # the row as the draft now proposes it (unsaved for an addition)
    summary: dict  # what the API answers: the draft's role, version, state and number of changes


class DraftDesk(Protocol):
    def record(
        self, *, op: str, model: type[models.Model], instance, data: dict, user, expected_version: int | None
    ) -> Drafted | None:
        """Record the change in a draft and say so, or return None to let it be written directly."""

    def takes(self, instance) -> bool:
        """Whether changes to this row are recorded in a draft."""

    def overlay(self, instance):
        """The row as its role's draft proposes it (the row itself when no draft changes it)."""

    def knowledge_base_loaded(self) -> None:
        """The shipped knowledge base was loaded: what it created counts as published."""


_desk: list[DraftDesk] = []


def register(desk: DraftDesk) -> None:
    _desk[:] = [desk]


def _record(**kwargs) -> Drafted | None:
    return _desk[0].record(**kwargs) if _desk else None


def propose_create(*, model, data: dict, user, reason: str | None = None):
    """Add a row, or record its addition in a draft (then a ``Drafted``)."""
    drafted = _record(op="create", model=model, instance=None, data=data, user=user, expected_version=None)
    return drafted or services.content_create(model=model, data=data, user=user, reason=reason)


def propose_update(*, instance, data: dict, user, expected_version: int | None, reason: str | None = None):
    """Change a row, or record the change in a draft (then a ``Drafted``)."""
    drafted = _record(
        op="update", model=type(instance), instance=instance, data=data, user=user, expected_version=expected_version
    )
    return drafted or services.content_update(
        instance=instance, data=data, user=user, expected_version=expected_version, reason=reason
    )


def propose_delete(*, instance, user, expected_version: int | None, reason: str | None = None):
    """Delete a row, or record its deletion in a draft (then a ``Drafted``; otherwise None)."""
    drafted = _record(
        op="delete", model=type(instance), instance=instance, data={}, user=user, expected_version=expected_version
    )
    if drafted:
        return drafted
    services.content_delete(instance=instance, user=user, expected_version=expected_version, reason=reason)
    return None


def is_drafted(instance) -> bool:
    """Whether a change to this row would go into a draft rather than the rows."""
    return bool(_desk) and _desk[0].takes(instance)


def overlay(instance):
    """The row as an editor sees it: with its role's draft applied while review is required."""
    return _desk[0].overlay(instance) if _desk else instance


def knowledge_base_loaded() -> None:
    if _desk:
        _desk[0].knowledge_base_loaded()
