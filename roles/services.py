"""Writes that span a role and its titles; single rows go through ``knowledge.services`` directly."""

from django.db import models, transaction

from knowledge.drafting import propose_create, propose_delete, propose_update
from knowledge.services import ChildChange, content_create

from .models import Role, RoleTitle


@transaction.atomic
def role_save(
    *,
    role: Role | None,
    data: dict,
    expected_version: int | None,
    titles: list[ChildChange],
    user,
    reason: str | None = None,
) -> Role:
    """Create (``role`` None) or update a role together with its titles, all or nothing.

    Deletions run first, then changes, then additions, so a title can move from
    one row to another in the same save without tripping the uniqueness rules.
    Any stale row (the role or a title) refuses the whole save with ``StaleEdit``.
    """
    if role is None:
        last = Role.objects.aggregate(last=models.Max("position"))["last"] or 0
        role = content_create(model=Role, data={"position": last + 1, **data}, user=user, reason=reason)
    else:
        # While review is required the change (and the titles') goes into the role's draft.
        proposed = propose_update(instance=role, data=data, user=user, expected_version=expected_version, reason=reason)
        role = role if not isinstance(proposed, Role) else proposed
    ordered = sorted(titles, key=lambda c: 0 if c.delete else 1 if c.instance is not None else 2)
    for change in ordered:
        if change.delete:
            if change.instance is not None:
                propose_delete(instance=change.instance, user=user, expected_version=change.expected_version)
        elif change.instance is not None:
            propose_update(
                instance=change.instance, data=change.data, user=user, expected_version=change.expected_version
            )
        else:
            propose_create(model=RoleTitle, data={**change.data, "role": role}, user=user)
    return role
