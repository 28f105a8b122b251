from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "Responsibilities"

    def ready(self):
        from roles.history import register_history
        from roles.kb_version import watch_content_models

        register_history(self)
        watch_content_models(self)
