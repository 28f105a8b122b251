"""Which models hold the knowledge base, and how each appears in the shipped seed and in exports.

A content model is any concrete ``Seeded`` model (sources, roles, duties, …). Each declares an
``Exchange`` as its ``exchange`` attribute, so the whole-knowledge-base operations here — load the
seed, export, import, back up — work on every content model of every app without naming one.
Models come in dependency order: a model after the models its foreign keys point to.
"""

from django.apps import apps
from django.db.models import ForeignKey, Model

from .models import Exchange, Seeded


def content_models() -> list[type[Seeded]]:
    """Every content model, each after the content models it refers to.

    Ordered by depth (models that refer to no other come first: sources, duty categories; then
    roles; then what hangs off a role), and within a depth in the order the apps are installed.
    """
    found = [model for model in apps.get_models() if issubclass(model, Seeded)]
    depth: dict = {}

    def depth_of(model, path=()) -> int:
        if model not in depth:
            targets = [other for other in references(model).values() if other not in path and other is not model]
            depth[model] = 1 + max((depth_of(related, (*path, model)) for related in targets), default=-1)
        return depth[model]

    return sorted(found, key=lambda model: (depth_of(model), found.index(model)))


def references(model: type[Model]) -> dict[str, type[Seeded]]:
    """The model's foreign keys to other content models, by field name."""
    return {
        field.name: field.related_model
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey) and issubclass(field.related_model, Seeded)
    }


def exchange(model: type[Model]) -> Exchange:
    return model.exchange  # type: ignore[attr-defined]
