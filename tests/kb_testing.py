"""Helpers the tests import: the test users' password and the POST data of a page's forms.

Imported as ``kb_testing`` (pytest puts tests/ on the path); the test folders themselves are not
packages, so a folder named like an app never shadows the app.
"""

from django.forms import BaseFormSet

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


def _field_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = "" if value is None else value
    return data


def form_payload(*forms, **changes) -> dict:
    """The POST data a browser would send for unchanged forms/formsets, with ``changes`` applied."""
    data = {}
    for form in forms:
        if isinstance(form, BaseFormSet):
            data.update(_field_values(form.management_form))
            for member in form.forms:
                data.update(_field_values(member))
        else:
            data.update(_field_values(form))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}
