"""History for every content model.

Registered in ``AppConfig.ready()`` rather than with ``history = HistoricalRecords()``
on the model: modeltranslation adds the per-language columns (``title_en``,
``title_nb``…) when it registers the models, which happens earlier in start-up, so
the history tables copy those columns too.
"""

import simple_history
from django.apps import AppConfig

# The change reason load_kb records, so the history can name it as the author.
SEED_CHANGE_REASON = "Loaded from the shipped knowledge base"


def register_history(app_config: AppConfig) -> None:
    for model in list(app_config.get_models()):
        if model._meta.abstract or model.__name__.startswith("Historical"):
            continue
        simple_history.register(model, app=app_config.label, excluded_fields=["seed_digest"])
