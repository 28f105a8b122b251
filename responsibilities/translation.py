from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Duty, DutyCategory


@register(DutyCategory)
class DutyCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"default": ("name",)}


@register(Duty)
class DutyTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"default": ("title",)}


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"default": ("title",)}
