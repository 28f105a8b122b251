from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Roles"

    def ready(self):
        from .history import register_history
        from .kb_version import watch_content_models

        register_history(self)
        watch_content_models()
