"""A draft's operations: how a change is recorded, merged with earlier ones, and laid over the rows.

An operation is a JSON object:
``{"op": "create" | "update" | "delete", "model": "roles.rolefact", "pk": <row id or null>,
"key": <the draft's own id for an addition>, "base": <row version it was based on>,
"revision": <changes to it in this draft>, "data": {<column>: <value>}}``.
A row has at most one operation per draft: a second change merges into the first, a deletion
replaces a change, and deleting an addition drops it.
"""

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from knowledge.languages import active_language, column, translated_fields
from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

# The rows a role's description is made of, and the field that says whose description a row belongs to.
# A reporting line belongs to its subordinate's description.
OWNED: dict[type[models.Model], str] = {
    RoleTitle: "role_id",
    RoleFact: "role_id",
    Qualification: "role_id",
    Duty: "role_id",
    ReportingLine: "subordinate_id",
}


def owner_role_id(model: type[models.Model], instance, data: dict) -> int | None:
    """The role whose description the row belongs to, or None for rows outside any description."""
    if model is Role:
        return instance.pk if instance is not None else None
    owner = OWNED.get(model)
    if owner is None:
        return None
    name = owner.removesuffix("_id")
    if name in data:
        value = data[name]
        return value.pk if isinstance(value, models.Model) else value
    if owner in data:
        return data[owner]
    return getattr(instance, owner, None) if instance is not None else None


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def model_of(op: dict) -> type[models.Model]:
    return apps.get_model(op["model"])


def to_json(model: type[models.Model], data: dict) -> dict:
    """Form or API data as storable columns: related rows by id, a plain translated field as its language's column."""
    translated = set(translated_fields(model))
    stored = {}
    for name, value in data.items():
        if name in translated:
            name = column(name, active_language())
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            stored[field.attname] = value.pk if isinstance(value, models.Model) else value
        elif isinstance(field, models.Field):
            stored[field.attname] = value
        else:
            stored[name] = value
    return stored


def find(operations: list[dict], model_label: str, pk) -> dict | None:
    return next((op for op in operations if op["model"] == model_label and op["pk"] == pk), None)


def merge(operations: list[dict], new: dict) -> list[dict]:
    """The draft's operations with ``new`` recorded: one operation per row (see the module's docstring)."""
    if new["op"] == "create":
        return [*operations, new]
    existing = find(operations, new["model"], new["pk"]) if new["pk"] is not None else None
    if existing is None and new.get("key") is not None:
        existing = next((op for op in operations if op.get("key") == new["key"]), None)
    if existing is None:
        return [*operations, new]
    rest = [op for op in operations if op is not existing]
    if existing["op"] == "create":
        if new["op"] == "delete":
            return rest
        existing = {**existing, "data": {**existing["data"], **new["data"]}, "revision": existing["revision"] + 1}
    elif new["op"] == "delete":
        existing = {**new, "base": existing["base"], "revision": existing["revision"] + 1}
    else:
        existing = {**existing, "data": {**existing["data"], **new["data"]}, "revision": existing["revision"] + 1}
    return [*rest, existing]


def next_key(operations: list[dict]) -> int:
    return max((op.get("key") or 0 for op in operations), default=0) + 1


def apply_data(instance: models.Model, data: dict) -> models.Model:
    """Set stored columns on an unsaved copy of a row (its related rows follow their new ids on access)."""
    for attname, value in data.items():
        field = next(f for f in instance._meta.concrete_fields if f.attname == attname)
        if isinstance(field, models.ForeignKey):
            if getattr(instance, attname) != value:
                field.delete_cached_value(instance) if field.is_cached(instance) else None
            setattr(instance, attname, value)
        else:
            setattr(instance, attname, value)
    return instance


def overlaid(row: Any, op: dict | None) -> Any:
    """The row as the draft proposes it; its version reads as the draft's revision of it, so two editors
    of the same draft row cannot overwrite each other unseen (the first save moves it on)."""
    if op is None or op["op"] != "update":
        return row
    copy = type(row)._default_manager.get(pk=row.pk) if row.pk else row
    apply_data(copy, op["data"])
    copy.version = op["base"] + op["revision"]
    return copy


def describe(op: dict) -> str:
    model = model_of(op)
    verb = {"create": _("Add"), "update": _("Change"), "delete": _("Delete")}[op["op"]]
    return f"{verb}: {model._meta.verbose_name}"
