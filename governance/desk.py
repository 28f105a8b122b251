"""The draft desk ``knowledge.drafting`` hands editors' changes to (registered at start-up)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from knowledge.apitools import make_etag
from knowledge.drafting import Drafted
from roles.models import Role

from . import changes, services
from .models import Draft


def draft_etag(draft: Draft) -> str:
    """The draft's ETag: its version (what If-Match is checked against) and a digest of its changes."""
    return make_etag(draft.operations, draft.version)


def draft_summary(draft: Draft, role: Role) -> dict:
    """What the API answers a write that went into a draft (202), with the draft's ETag."""
    return {
        "detail": _("Recorded in the draft of %(role)s; it is published when an approver publishes the draft.")
        % {"role": role.title},
        "role": role.slug,
        "draft": {"version": draft.version, "state": draft.state, "changes": len(draft.operations)},
        "draft_url": reverse("api:role-detail", kwargs={"slug": role.slug}) + "?state=draft",
        "etag": draft_etag(draft),
    }


class Desk:
    def record(
        self, *, op: str, model: type[models.Model], instance, data: dict, user, expected_version: int | None
    ) -> Drafted | None:
        if not services.review_required():
            return None
        role_pk = changes.owner_role_id(model, instance, data)
        if role_pk is None:
            return None  # a new role, or a row outside any description: written directly
        role = Role.objects.get(pk=role_pk)
        draft = services.draft_record(
            role=role, op=op, model=model, instance=instance, data=data, user=user, expected_version=expected_version
        )
        if instance is not None:
            proposed = self.overlay(instance)
        else:
            proposed = changes.apply_data(model(), changes.to_json(model, data))
        return Drafted(draft=draft, owner=role.title, instance=proposed, summary=draft_summary(draft, role))

    def takes(self, instance) -> bool:
        return services.review_required() and changes.owner_role_id(type(instance), instance, {}) is not None

    def overlay(self, instance):
        if instance is None or not services.review_required():
            return instance
        role_pk = changes.owner_role_id(type(instance), instance, {})
        if role_pk is None:
            return instance
        draft = Draft.objects.filter(role_id=role_pk).only("operations").first()
        if draft is None:
            return instance
        op = changes.find(draft.operations, changes.label(type(instance)), instance.pk)
        return changes.overlaid(instance, op)

    def knowledge_base_loaded(self) -> None:
        services.publish_shipped()
