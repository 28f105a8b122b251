from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "Responsibilities"

    def ready(self):
        from knowledge.history import register_history

        register_history(self)
