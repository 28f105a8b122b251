"""What a user sees when their save was refused as stale: their input next to the newer saved values."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _


@dataclass
class ConflictRow:
    label: str
    saved: str
    yours: str
    language: str | None


@dataclass
class Conflict:
    current: object
    rows: list[ConflictRow]


def _display(field: forms.Field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def conflict_rows(form: forms.BaseForm, current) -> list[ConflictRow]:
    """The fields where the row as saved now differs from what the user submitted."""
    rows = []
    for bound in form.visible_fields():
        name = bound.name
        if name == "DELETE" or not hasattr(current, name):
            continue
        saved = _display(bound.field, getattr(current, name))
        yours = _display(bound.field, form.cleaned_data.get(name))
        if saved != yours:
            rows.append(ConflictRow(str(bound.label), saved, yours, bound.field.widget.attrs.get("lang")))
    return rows
