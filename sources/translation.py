from modeltranslation.translator import TranslationOptions, register

from .models import SentenceMark


@register(SentenceMark)
class SentenceMarkTranslation(TranslationOptions):
    fields = ("reason",)
