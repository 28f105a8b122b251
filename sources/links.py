"""Where each kind of fact is fixed: the page an editor opens to change a cited row."""

from django.urls import reverse

from knowledge.models import Cited
from responsibilities.editing import DUTIES
from responsibilities.models import Assignment
from roles.editing import FACTS, LINES, QUALIFICATIONS, TITLES
from roles.models import Role

ITEM_KINDS = {kind.model: kind for kind in (DUTIES, FACTS, QUALIFICATIONS, LINES, TITLES)}


def owner_role(row) -> Role | None:
    """The role a row belongs to (a reporting line: its subordinate)."""
    if isinstance(row, Role):
        return row
    for name in ("role", "subordinate"):
        if hasattr(row, f"{name}_id"):
            return getattr(row, name)
    return None


def fix_url(row: Cited) -> str:
    """The page where an editor changes ``row``: its item form, the role's edit page or the matrix cell."""
    if isinstance(row, Role):
        return reverse("descriptions:edit", kwargs={"slug": row.slug})
    kind = ITEM_KINDS.get(type(row))
    role = owner_role(row)
    if kind is not None and role is not None:
        return reverse(kind.edit_url, kwargs={"slug": role.slug, "pk": row.pk})
    if isinstance(row, Assignment):
        return reverse("responsibilities:cell", kwargs={"activity_slug": row.activity.slug, "role_slug": row.role.slug})
    meta = row._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
