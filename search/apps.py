from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_functions(sender, connection, **kwargs):
    """SQLite: the function the full-text triggers call for a row's words (``search.sqlite_schema``)."""
    if connection.vendor == "sqlite":
        from .sqlite_schema import words_of

        connection.connection.create_function("kb_search_words", -1, words_of, deterministic=True)


def _ensure_full_text(sender, using="default", **kwargs):
    """SQLite rebuilds a table for most schema changes and drops its triggers: put them back."""
    from django.db import connections

    from .sqlite_schema import ensure

    ensure(connections[using])


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from knowledge.history import register_history

        connection_created.connect(_register_functions, dispatch_uid="search_sqlite_functions")
        post_migrate.connect(_ensure_full_text, sender=self, dispatch_uid="search_sqlite_full_text")
        register_history(self)
