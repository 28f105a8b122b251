"""The review workflow: record a change in a draft, submit it, return it, publish it, sign off a review.

Publishing applies the draft's operations through ``knowledge.services`` in one transaction (row
versions, citations, the cycle rule, history and the knowledge-base version all hold) and records
the numbered publication. Every refusal is a ``ReviewRefused`` with a message for the user and a
code the API turns into a problem's status.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge import feed, services, version
from knowledge.services import StaleEdit
from roles.models import Role

from . import changes, snapshots
from .models import APPROVERS, Draft, Publication, ReviewEvent

# The change feed's (and the webhooks') event for a publication; its rows' changes come as their own events.
PUBLICATION_CREATED = "publication.created"


class ReviewRefused(Exception):
    """An action the workflow does not allow; ``code`` says why.

    ``empty`` (nothing to do), ``stale`` (the draft changed), ``self`` (an author approving their own
    draft), ``rights`` (not an approver), ``state`` (no such draft, or not in a state for it).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def review_required() -> bool:
    return bool(getattr(settings, "KB_REVIEW_REQUIRED", True))


def is_approver(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=APPROVERS).exists())


def display_name(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name() or user.get_username()


# Recording ------------------------------------------------------------------------------------


@transaction.atomic
def draft_record(*, role: Role, op: str, model: Any, instance, data: dict, user, expected_version: int | None) -> Draft:
    """Record one change to ``role``'s description in its draft (started on the first change).

    The row is validated as the draft would make it, and a change based on an outdated version of
    the row — as published, or as this draft already changed it — is refused with ``StaleEdit``.
    """
    draft, _created = Draft.objects.select_for_update().get_or_create(role=role, defaults={"author": _acting(user)})
    label = changes.label(model)
    stored = changes.to_json(model, data)
    existing = changes.find(draft.operations, label, instance.pk) if instance is not None else None
    if instance is not None:
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            raise model.DoesNotExist
        shown = changes.overlaid(current, existing)
        if expected_version is not None and shown.version != int(expected_version):
            raise StaleEdit(shown, int(expected_version))
        candidate = changes.apply_data(shown, stored)
        base = existing["base"] if existing else current.version
    else:
        candidate = changes.apply_data(model(), stored)
        base = 0
    if op != "delete":
        candidate.full_clean()
    new = {
        "op": op,
        "model": label,
        "pk": instance.pk if instance is not None else None,
        "key": None if instance is not None else changes.next_key(draft.operations),
        "base": base,
        "revision": 1,
        "data": stored if op != "delete" else {},
    }
    draft.operations = changes.merge(draft.operations, new)
    draft.version += 1
    if draft.state == Draft.State.SUBMITTED:
        draft.state = Draft.State.OPEN  # a changed draft is submitted again once it is ready
    draft.save()
    if user is not None and user.is_authenticated:
        draft.contributors.add(user)
    return draft


@transaction.atomic
def draft_discard_change(*, draft: Draft, index: int, expected_version: int, user) -> Draft | None:
    """Take one change out of the draft; the draft goes when it has none left."""
    draft = _locked(draft, expected_version)
    if not 0 <= index < len(draft.operations):
        raise ReviewRefused(_("That change is no longer in the draft."), "state")
    draft.operations = [op for i, op in enumerate(draft.operations) if i != index]
    if not draft.operations:
        ReviewEvent.objects.create(role=draft.role, kind=ReviewEvent.Kind.DISCARDED, user=_acting(user))
        draft.delete()
        return None
    draft.version += 1
    draft.save()
    return draft


@transaction.atomic
def draft_discard(*, draft: Draft, expected_version: int, user) -> None:
    draft = _locked(draft, expected_version)
    ReviewEvent.objects.create(role=draft.role, kind=ReviewEvent.Kind.DISCARDED, user=_acting(user))
    draft.delete()


# The workflow ---------------------------------------------------------------------------------


def _locked(draft: Draft, expected_version: int | None) -> Draft:
    current = Draft.objects.select_for_update().filter(pk=draft.pk).first()
    if current is None:
        raise ReviewRefused(_("This draft was published or discarded in the meantime."), "state")
    if expected_version is not None and current.version != int(expected_version):
        raise ReviewRefused(
            _(
                "The draft changed since you opened it (version %(current)s, you read version %(expected)s). "
                "Read it again before you act on it."
            )
            % {"current": current.version, "expected": expected_version},
            "stale",
        )
    return current


@transaction.atomic
def draft_submit(*, draft: Draft, note: str, user, expected_version: int | None) -> Draft:
    draft = _locked(draft, expected_version)
    if not draft.operations:
        raise ReviewRefused(_("The draft has no changes to review."), "empty")
    if draft.state == Draft.State.SUBMITTED:
        raise ReviewRefused(_("The draft is already awaiting review."), "state")
    draft.state = Draft.State.SUBMITTED
    draft.note = note.strip()
    draft.submitted_at = timezone.now()
    draft.save()
    ReviewEvent.objects.create(role=draft.role, kind=ReviewEvent.Kind.SUBMITTED, user=_acting(user), text=draft.note)
    return draft


def _check_approver(draft: Draft, user) -> bool:
    """Refuse anyone but an approver, and an author approving their own draft unless a superuser.

    Returns whether it is a superuser's approval of their own draft (recorded with the publication).
    """
    if not is_approver(user):
        raise ReviewRefused(_("Only members of the Approvers group may publish or return a draft."), "rights")
    own = draft.author_id == user.pk or draft.contributors.filter(pk=user.pk).exists()
    if own and not user.is_superuser:
        raise ReviewRefused(_("You worked on this draft, so another approver must review it."), "self")
    return own


@transaction.atomic
def draft_return(*, draft: Draft, comment: str, user, expected_version: int | None) -> Draft:
    draft = _locked(draft, expected_version)
    _check_approver(draft, user)
    if not comment.strip():
        raise ReviewRefused(_("Say what needs to change: a returned draft needs a comment."), "empty")
    draft.state = Draft.State.RETURNED
    draft.comment = comment.strip()
    draft.save()
    ReviewEvent.objects.create(role=draft.role, kind=ReviewEvent.Kind.RETURNED, user=_acting(user), text=draft.comment)
    return draft


@transaction.atomic
def draft_publish(*, draft: Draft, note: str, user, expected_version: int | None) -> Publication:
    """Apply the whole draft through the write layer and record the next publication, or change nothing."""
    draft = _locked(draft, expected_version)
    self_approved = _check_approver(draft, user)
    if not draft.operations:
        raise ReviewRefused(_("The draft has no changes to publish."), "empty")
    role = draft.role
    reason = _("Published (publication %(number)s)") % {"number": role.publication + 1}
    created: dict[int, object] = {}
    for op in draft.operations:
        _apply(op, user=user, reason=reason, created=created)
    if not Role.objects.filter(pk=role.pk).exists():
        draft.delete()
        raise ReviewRefused(_("The draft deleted the role; there is nothing left to publish."), "state")
    publication = _record_publication(
        role=Role.objects.get(pk=role.pk),
        user=user,
        note=note or draft.note,
        author=draft.author,
        self_approved=self_approved,
        reason=reason,
    )
    draft.delete()
    return publication


def _apply(op: dict, *, user, reason: str, created: dict) -> None:
    model: Any = changes.model_of(op)
    if op["op"] == "create":
        services.content_create(model=model, data=dict(op["data"]), user=user, reason=reason)
        return
    instance = model._default_manager.filter(pk=op["pk"]).first()
    if instance is None:
        raise ValidationError(
            _("“%(row)s” was deleted since the draft changed it; take that change out of the draft.")
            % {"row": model._meta.verbose_name}
        )
    if op["op"] == "delete":
        services.content_delete(instance=instance, user=user, expected_version=op["base"], reason=reason)
    else:
        services.content_update(
            instance=instance,
            data=dict(op["data"]),
            user=user,
            expected_version=op["base"],
            reason=reason,
        )


def _record_publication(*, role: Role, user, note: str, author, self_approved: bool, reason: str) -> Publication:
    now = timezone.now()
    role = services.content_update(
        instance=role,
        data={
            "publication": role.publication + 1,
            "published_at": now,
            "published_by": display_name(user),
            "last_reviewed": timezone.localdate(now),
        },
        user=user,
        expected_version=None,
        reason=reason,
    )
    publication = Publication.objects.create(
        role=role,
        number=role.publication,
        published_at=now,
        approver=_acting(user),
        approver_name=display_name(user),
        author_name=display_name(author),
        note=note.strip(),
        self_approved=self_approved,
        snapshot=snapshots.snapshot(snapshots.load(role.pk)),
    )
    feed.record_event(
        PUBLICATION_CREATED,
        resource="publication",
        object_id=str(publication.pk),
        role=role.slug,
        row_version=role.version,
        data={"number": publication.number, "published_at": now.isoformat(), "approver": publication.approver_name},
    )
    ReviewEvent.objects.create(
        role=role,
        kind=ReviewEvent.Kind.PUBLISHED,
        user=_acting(user),
        text=publication.note,
        publication=publication.number,
    )
    return publication


@transaction.atomic
def review_sign_off(*, role: Role, note: str, user, expected_version: int | None) -> Role:
    """An approver's "reviewed — no change": the description stays as published and is due again a full interval on."""
    if not is_approver(user):
        raise ReviewRefused(_("Only members of the Approvers group may sign off a review."), "rights")
    role = services.content_update(
        instance=role,
        data={"last_reviewed": timezone.localdate()},
        user=user,
        expected_version=expected_version,
        reason=_("Reviewed — no change"),
    )
    ReviewEvent.objects.create(role=role, kind=ReviewEvent.Kind.SIGNED_OFF, user=_acting(user), text=note.strip())
    return role


@transaction.atomic
def publish_shipped() -> int:
    """Every role without a publication becomes publication 1, as the shipped knowledge base loaded it."""
    count = 0
    now = timezone.now()
    for role in Role.objects.filter(publication=0):
        # Bookkeeping of the load, like the seed's fingerprints: no new row version, no history entry.
        Role.objects.filter(pk=role.pk).update(publication=1, published_at=now, last_reviewed=timezone.localdate(now))
        Publication.objects.create(
            role=role,
            number=1,
            published_at=now,
            note=_("The shipped knowledge base."),
            snapshot=snapshots.snapshot(snapshots.load(role.pk)),
        )
        count += 1
    if count:
        version.bump()
    return count


def _acting(user):
    return user if user is not None and user.is_authenticated else None


def forget_roles(role_pks: list[int]) -> None:
    """Delete the drafts, publications and review records of roles about to be deleted in bulk (raw deletes)."""
    querysets: list[Any] = [
        Draft.contributors.through.objects.filter(draft__role__in=role_pks),
        Draft.objects.filter(role__in=role_pks),
        Publication.objects.filter(role__in=role_pks),
        ReviewEvent.objects.filter(role__in=role_pks),
    ]
    for rows in querysets:
        rows._raw_delete(rows.db)
