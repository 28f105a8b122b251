"""get_<field>_display() on the knowledge base's models: Django's labels, in the active language, looked up cheaply."""

from django.apps import apps
from django.db import models
from django.utils import translation

from knowledge.models import Versioned


def choice_fields():
    for model in apps.get_models():
        if issubclass(model, Versioned):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_choice_shows_djangos_label_in_each_language_and_an_unknown_value_as_itself():
    fields = list(choice_fields())
    assert {(model.__name__, field.name) for model, field in fields} >= {("Role", "level"), ("Duty", "involvement")}
    for language in ("en", "nb"):
        with translation.override(language):
            for model, field in fields:
                for value in [*(value for value, _label in field.flatchoices), "no-such-choice"]:
                    row = model(**{field.attname: value})
                    shown = getattr(row, f"get_{field.name}_display")()
                    assert shown == models.Model._get_FIELD_display(row, field), (model, field.name, value)


def test_the_label_follows_the_active_language():
    row = apps.get_model("roles", "Role")(level="executive")

    with translation.override("en"):
        english = row.get_level_display()
    with translation.override("nb"):
        norwegian = row.get_level_display()

    assert (english, norwegian) == ("Executive", "Toppleder")
