from django.contrib import admin

from knowledge.admin import TranslatedContentAdmin

from .models import SentenceMark


@admin.register(SentenceMark)
class SentenceMarkAdmin(TranslatedContentAdmin):
    list_display = ("__str__", "source", "reason")
    list_filter = ("source",)
    search_fields = ("excerpt", "reason_en", "reason_nb")
    fields = ("source", "excerpt", "reason_en", "reason_nb")
