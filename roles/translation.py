from modeltranslation.translator import TranslationOptions, register

from .models import Qualification, ReportingLine, Role, RoleFact


@register(Role)
class RoleTranslation(TranslationOptions):
    fields = ("title", "abbreviation", "summary", "description", "department")
    required_languages = {"default": ("title",)}


@register(RoleFact)
class RoleFactTranslation(TranslationOptions):
    fields = ("text",)


@register(Qualification)
class QualificationTranslation(TranslationOptions):
    fields = ("text",)


@register(ReportingLine)
class ReportingLineTranslation(TranslationOptions):
    fields = ("note",)
