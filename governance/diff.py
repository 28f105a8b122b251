"""What differs between two snapshots of a description, field by field and in both languages."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from knowledge.languages import LANGUAGE_NAMES, split_language
from roles.models import Role

from . import changes
from .snapshots import BOOKKEEPING, PARTS, REFERENCED

# Columns of a role that publishing and review write; the comparison is of what the description says.
NOT_COMPARED = BOOKKEEPING | set(Role.unseeded_fields)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    language: str | None = None


@dataclass
class RowChange:
    section: str
    row: str
    status: str  # "added", "removed" or "changed"
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}[self.status]


def _shown(model: type[models.Model], attname: str, value, refs: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if isinstance(model_field, models.ForeignKey) and model_field.related_model in REFERENCED:
        target = refs.get(changes.label(model_field.related_model), {}).get(str(value), {})
        return target.get("title_en") or target.get("title") or target.get("slug") or str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _row_label(model: type[models.Model], row: dict, refs: dict) -> str:
    for name in ("title_en", "text_en", "title_nb", "text_nb"):
        if row.get(name):
            return str(row[name])[:120]
    if "superior_id" in row:
        return f"{_shown(model, 'subordinate_id', row['subordinate_id'], refs)} → " + _shown(
            model, "superior_id", row["superior_id"], refs
        )
    return str(row.get("id") or "")


def _field_changes(model, old: dict, new: dict, refs_old: dict, refs_new: dict) -> list[FieldChange]:
    result = []
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        if name in NOT_COMPARED or name not in old and name not in new:
            continue
        before, after = old.get(name), new.get(name)
        if (before in ("", None) and after in ("", None)) or before == after:
            continue
        base, language = split_language(model_field.name, model)
        label = str(model._meta.get_field(base).verbose_name).capitalize()
        result.append(
            FieldChange(
                label=f"{label} ({LANGUAGE_NAMES[language]})" if language else label,
                old=_shown(model, name, before, refs_old),
                new=_shown(model, name, after, refs_new),
                language=language,
            )
        )
    return result


def compare(old: dict, new: dict) -> list[RowChange]:
    """Every row added, removed or changed from snapshot ``old`` to ``new``."""
    result = []
    role_fields = _field_changes(Role, old["role"], new["role"], old["refs"], new["refs"])
    if role_fields:
        result.append(
            RowChange(
                str(Role._meta.verbose_name).capitalize(), new["role"].get("title_en", ""), "changed", role_fields
            )
        )
    for name, model, _fk in PARTS:
        section = str(model._meta.verbose_name_plural).capitalize()
        before = {row["id"]: row for row in old["parts"][name] if row.get("id")}
        after = {row["id"] or f"new-{row.get('key')}": row for row in new["parts"][name]}
        for key, row in after.items():
            if key not in before:
                fields = _field_changes(model, {}, row, old["refs"], new["refs"])
                result.append(RowChange(section, _row_label(model, row, new["refs"]), "added", fields))
            else:
                fields = _field_changes(model, before[key], row, old["refs"], new["refs"])
                if fields:
                    result.append(RowChange(section, _row_label(model, row, new["refs"]), "changed", fields))
        for key, row in before.items():
            if key not in after:
                result.append(RowChange(section, _row_label(model, row, old["refs"]), "removed"))
    return result
