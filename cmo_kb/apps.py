from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's wiring as an app, so that its system checks are registered."""

    name = "cmo_kb"
    verbose_name = "Medical Roles KB"

    def ready(self):
        from . import checks, staticfiles  # noqa: F401 - registers the checks
