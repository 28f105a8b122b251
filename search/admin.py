from django.contrib import admin

from knowledge.admin import ContentAdmin

from .models import ThesaurusEntry


@admin.register(ThesaurusEntry)
class ThesaurusEntryAdmin(ContentAdmin):
    """Editors keep the thesaurus here; saves go through the write layer like every content model's."""

    list_display = ("__str__", "note")
    search_fields = ("terms", "note")
    fields = ("terms", "note")
