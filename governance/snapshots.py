"""A role's description as data: what was published, what a draft proposes, and what differs.

A snapshot is JSON: every row of the description (the role, its titles, key facts, qualifications,
duties and reporting lines at either end) with all its columns, plus the rows they point to
(sources, duty categories, other roles), so it shows the description as it was even after those
change. ``materialize`` turns a snapshot back into unsaved rows that the role sheet lays out
exactly as it lays out the live ones.
"""

import json
from typing import cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch

from knowledge.languages import translated_fields
from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

from . import changes

# The description's lists: (name on the role, model, the field that ties a row to the role).
PARTS: list[tuple[str, type[models.Model], str]] = [
    ("titles", RoleTitle, "role_id"),
    ("facts", RoleFact, "role_id"),
    ("qualifications", Qualification, "role_id"),
    ("duties", Duty, "role_id"),
    ("lines_up", ReportingLine, "subordinate_id"),
    ("lines_down", ReportingLine, "superior_id"),
]
REFERENCED: list[type[models.Model]] = [Source, DutyCategory, Role]
BOOKKEEPING = {"id", "version", "seed_key", "seed_digest"}


def load(role_pk: int) -> Role:
    """The role with every row of its description (one query per list)."""
    return (
        Role.objects.select_related("source")
        .prefetch_related(
            Prefetch("duties", queryset=Duty.objects.select_related("category", "source")),
            Prefetch("titles", queryset=RoleTitle.objects.select_related("source")),
            Prefetch("facts", queryset=RoleFact.objects.select_related("source")),
            Prefetch("qualifications", queryset=Qualification.objects.select_related("source")),
            Prefetch("lines_up", queryset=ReportingLine.objects.select_related("superior", "source")),
            Prefetch("lines_down", queryset=ReportingLine.objects.select_related("subordinate", "source")),
        )
        .get(pk=role_pk)
    )


def _stored(model: type[models.Model]) -> list[models.Field]:
    """The columns of a row, but for a translated field's plain name (it mirrors the active language)."""
    mirrored = set(translated_fields(model))
    return [field for field in model._meta.concrete_fields if field.name not in mirrored]


def _columns(row: models.Model) -> dict:
    return {field.attname: getattr(row, field.attname) for field in _stored(type(row))}


def _plain(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def snapshot(role: Role) -> dict:
    """The description of a role loaded by ``load`` (or with the same lists prefetched), as JSON."""
    parts = {name: [_columns(row) for row in getattr(role, name).all()] for name, _model, _fk in PARTS}
    snap = {"role": _columns(role), "parts": parts, "refs": {}}
    _add_refs(snap)
    return _plain(snap)


def _add_refs(snap: dict) -> None:
    """Fill ``refs`` with every source, duty category and other role the rows point to."""
    wanted: dict[type[models.Model], set] = {model: set() for model in REFERENCED}
    rows = [(Role, snap["role"])] + [(model, row) for name, model, _fk in PARTS for row in snap["parts"][name]]
    for model, row in rows:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model in wanted and row.get(field.attname):
                wanted[field.related_model].add(row[field.attname])
    refs = snap["refs"]
    for model, ids in wanted.items():
        known = refs.setdefault(changes.label(model), {})
        missing = {pk for pk in ids if str(pk) not in known}
        for row in model._default_manager.filter(pk__in=missing):
            known[str(row.pk)] = _plain(_columns(row))


def with_draft(published: dict, operations: list[dict]) -> dict:
    """The snapshot ``published`` with a draft's operations applied (additions carry their draft ``key``)."""
    snap = json.loads(json.dumps(published))
    role_pk = snap["role"]["id"]
    for op in operations:
        model = changes.model_of(op)
        if model is Role:
            if op["op"] == "update":
                snap["role"].update(op["data"])
            elif op["op"] == "delete":
                snap["deleted"] = True
            continue
        for name, part_model, fk in PARTS:
            if part_model is not model or (name == "lines_down" and model is ReportingLine):
                continue
            rows = snap["parts"][name]
            if op["op"] == "create":
                new: dict = {field.attname: None for field in _stored(model)}
                new.update({"version": 0, **op["data"], "key": op["key"]})
                if new.get(fk) == role_pk:
                    rows.append(new)
            else:
                for row in rows:
                    if row["id"] == op["pk"]:
                        if op["op"] == "delete":
                            rows.remove(row)
                        else:
                            row.update(op["data"])
                        break
    _add_refs(snap)
    return _plain(snap)


def _instance(model: type[models.Model], columns: dict) -> models.Model:
    values = {}
    for field in _stored(model):
        if field.attname in columns:
            raw = columns[field.attname]
            values[field.attname] = field.to_python(raw) if raw is not None else None
    return model(**values)


def materialize(snap: dict) -> Role:
    """Unsaved rows from a snapshot, wired together as ``load`` wires the live ones: the sheet needs no query."""
    refs = {
        model: {
            int(pk): _instance(model, columns) for pk, columns in snap["refs"].get(changes.label(model), {}).items()
        }
        for model in REFERENCED
    }
    role = cast(Role, _instance(Role, snap["role"]))
    refs[Role][role.pk] = role
    _link(role, refs)
    role._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # read by role.<list>.all()
    for name, model, _fk in PARTS:
        rows = [_link(_instance(model, columns), refs) for columns in snap["parts"][name]]
        for row, columns in zip(rows, snap["parts"][name], strict=True):
            row.draft_key = columns.get("key")  # type: ignore[attr-defined]
        queryset = model._default_manager.none()
        queryset._result_cache = sorted(rows, key=_order(name))
        queryset._prefetch_done = True  # type: ignore[attr-defined]
        role._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]
    return role


def _link(row: models.Model, refs: dict) -> models.Model:
    for field in row._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model in refs:
            target = refs[field.related_model].get(getattr(row, field.attname))
            if target is not None:
                field.set_cached_value(row, target)
    return row


def _order(name: str):
    def key(row):
        if name == "titles":
            return (row.language, row.kind, row.title)
        if name == "duties":
            return (row.category.position if row.category_id else 0, row.position, row.pk or 10**9)
        if name == "lines_up":
            return (row.kind, row.superior.position if row.superior_id else 0)
        if name == "lines_down":
            return (row.kind, row.subordinate.position if row.subordinate_id else 0)
        return (row.position, row.pk or 10**9)

    return key
