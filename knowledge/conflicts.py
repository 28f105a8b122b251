"""What happens when a save arrives based on an older version of its row: a three-way merge.

The three versions are the row as the user loaded it (read back from the history by the
version their form carried), the row as it is now, and the user's input. When the two
editors changed different fields, the save goes through with both changes
(``save_merging``). Only when a field was changed by both, to different values, is the form
shown again (``merge_stale``): those fields keep the user's input and are listed next to
the newer value; fields only the other editor changed take the newer value.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from .services import StaleEdit


@dataclass
class ConflictRow:
    label: str
    saved: str
    yours: str
    language: str | None
    taken: bool = False  # True: the user had not changed it, so the form now holds the newer value


@dataclass
class Conflict:
    current: object
    rows: list[ConflictRow]
    about: str | None = None  # names the row when the page edits several (e.g. an admin inline row)

    @property
    def clashes(self) -> list[ConflictRow]:
        return [row for row in self.rows if not row.taken]

    @property
    def taken(self) -> list[ConflictRow]:
        return [row for row in self.rows if row.taken]


def _display(field: forms.Field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]  # (value, label) pairs by now
    return str(value)


def _plain(value):
    """A value reduced for comparison: a row becomes its id, and an empty text equals a missing one."""
    if isinstance(value, models.Model):
        return value.pk
    return None if value == "" else value


def _loaded_version(current, version):
    """The row as the user loaded it (its historical version), or None when unknown."""
    history = getattr(type(current), "history", None)
    if history is None or version is None:
        return None
    return history.filter(id=current.pk, version=version).order_by("-history_date").first()


def edited_fields(form: forms.BaseModelForm) -> list[str]:
    """The fields whose input differs from the row as its user loaded it: what they changed.

    The form's initial values are the row as it is now. When it has moved on since the user loaded
    it (their hidden version is older), a field counts only if the input also differs from the
    row as they loaded it (from the history): someone else's change is not theirs to save.
    """
    changed = [name for name in form.changed_data if name != "version"]
    posted = form.cleaned_data.get("version")
    if not changed or posted is None or posted == form.instance.version:
        return changed
    loaded = _loaded_version(form.instance, posted)
    if loaded is None:
        return changed
    edited = []
    for name in changed:
        try:
            attname = form.instance._meta.get_field(name).attname
        except FieldDoesNotExist:
            edited.append(name)
            continue
        if _plain(getattr(loaded, attname)) != _plain(form.cleaned_data.get(name)):
            edited.append(name)
    return edited


def merged_data(form: forms.BaseModelForm, current) -> dict | None:
    """The user's input merged with the newer row, or None when a field clashes (or the loaded row is unknown).

    A field the user left as they loaded it takes the newer value; a field only they changed keeps
    their input; a field both changed counts as a clash unless both chose the same value.
    """
    loaded = _loaded_version(current, form.cleaned_data.get("version"))
    if loaded is None:
        return None
    data = form.model_data()  # type: ignore[attr-defined]  # VersionedModelForm
    for name, mine in list(data.items()):
        try:
            attname = current._meta.get_field(name).attname
        except FieldDoesNotExist:
            return None
        base, theirs = _plain(getattr(loaded, attname)), _plain(getattr(current, attname))
        if _plain(mine) == base:
            data[name] = getattr(current, name)
        elif theirs not in (base, _plain(mine)):
            return None
    return data


def save_merging(form: forms.BaseModelForm, instance, save):
    """``save(instance, data, expected_version)``; when stale, once more with the merge if nothing clashes.

    Returns ``(saved, merged)``; raises ``StaleEdit`` when fields clash (show ``merge_stale``).
    """
    try:
        return save(instance, form.model_data(), form.expected_version()), False  # type: ignore[attr-defined]
    except StaleEdit as stale:
        same_row = type(stale.current) is type(instance) and stale.current.pk == instance.pk
        merged = merged_data(form, stale.current) if same_row else None
        if merged is None:
            raise
        return save(stale.current, merged, stale.current.version), True


def merge_stale(form: forms.BaseForm, current, data) -> Conflict:
    """Prepare ``data`` (the posted data, mutable) for showing the form again after a stale save.

    Sets the hidden version to the newer one, so saving again is a deliberate choice, and takes
    the newer value for every field the user left as they loaded it. Returns what differs.
    """
    loaded = _loaded_version(current, form.cleaned_data.get("version"))
    data[form.add_prefix("version")] = current.version
    rows = []
    for bound in form.visible_fields():
        name = bound.name
        if name == "DELETE" or not hasattr(current, name):
            continue
        attname = current._meta.get_field(name).attname
        saved = getattr(current, attname)
        yours = form.cleaned_data.get(name)
        if _plain(saved) == _plain(yours):
            continue
        base = _plain(getattr(loaded, attname)) if loaded is not None else None
        if loaded is not None and base == _plain(saved):
            continue  # only the user changed it: their input stays, nothing to compare
        untouched = loaded is not None and base == _plain(yours)
        if untouched:
            _put(data, form.add_prefix(name), bound.field, saved)
        rows.append(
            ConflictRow(
                label=str(bound.label),
                saved=_display(bound.field, getattr(current, name)),
                yours=_display(bound.field, yours),
                language=bound.field.widget.attrs.get("lang"),
                taken=untouched,
            )
        )
    return Conflict(current=current, rows=rows)


def _put(data, key: str, field: forms.Field, value) -> None:
    if isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    else:
        data[key] = "" if value is None else str(value)
