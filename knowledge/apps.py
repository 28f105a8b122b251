from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self):
        from .history import register_history
        from .version import watch_content_models

        register_history(self)
        watch_content_models()
