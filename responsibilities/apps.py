from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "Responsibilities"

    def ready(self):
        from roles.history import register_history

        register_history(self)

        from roles.editing import register

        from .editing import DUTIES

        register(DUTIES)
