"""History for every content model.

Registered in ``AppConfig.ready()`` rather than with ``history = HistoricalRecords()``
on the model: modeltranslation adds the per-language columns (``title_en``,
``title_nb``…) when it registers the models, which happens earlier in start-up, so
the history tables copy those columns too.
"""

from collections.abc import Callable
from dataclasses import dataclass

import simple_history
from django.apps import AppConfig
from django.db.models import Model, Q

# The change reason load_kb records, so the history can name it as the author.
SEED_CHANGE_REASON = "Loaded from the shipped knowledge base"


def history_table(model: type[Model]) -> str | None:
    """The history table of a model whose table kept an earlier app's name (None: the usual name).

    ``roles_source`` keeps its history in ``roles_historicalsource`` wherever ``Source`` lives.
    """
    meta = model._meta
    if meta.model_name is None or meta.db_table == f"{meta.app_label}_{meta.model_name}":
        return None
    return f"{meta.db_table.removesuffix(meta.model_name)}historical{meta.model_name}"


def register_history(app_config: AppConfig) -> None:
    """Give every content model of ``app_config`` its history (call from the app's ``ready()``)."""
    for model in list(app_config.get_models()):
        if model._meta.abstract or model.__name__.startswith("Historical") or getattr(model, "history_exempt", False):
            continue
        simple_history.register(
            model, app=app_config.label, table_name=history_table(model), excluded_fields=["seed_digest"]
        )


@dataclass(frozen=True)
class HistoryTrack:
    """One history table shown on an owner's history page, and how its rows belong to the owner.

    ``owner_fields`` name the foreign keys that point at the owner (``"id"`` for the owner itself).
    ``describe(record, labels)`` names a record where its title or text would not (``labels`` maps
    (model, id) to the names of the rows its foreign keys point at).
    """

    key: str
    model: type[Model]
    owner_fields: tuple[str, ...]
    describe: Callable[[Model, dict], str] | None = None

    def owner_filter(self, owner_id) -> Q:
        query = Q()
        for name in self.owner_fields:
            query |= Q(**{name if name == "id" else f"{name}_id": owner_id})
        return query
