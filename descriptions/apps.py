from django.apps import AppConfig


class DescriptionsConfig(AppConfig):
    name = "descriptions"
    verbose_name = "Role descriptions"
