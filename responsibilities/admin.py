from django.contrib import admin

from knowledge.admin import CITATION_FIELDS, TranslatedContentAdmin, TranslatedContentInline

from .models import Duty, DutyCategory


@admin.register(DutyCategory)
class DutyCategoryAdmin(TranslatedContentAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name_en", "name_nb", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Duty)
class DutyAdmin(TranslatedContentAdmin):
    list_display = ("title", "role", "category", "involvement", "position", "source", "editorial")
    list_filter = ("role", "category", "involvement", "source", "editorial")
    search_fields = ("title_en", "title_nb", "description_en", "description_nb", "excerpt")
    autocomplete_fields = ("role", "category")


class DutyInline(TranslatedContentInline):
    model = Duty
    extra = 0
    fields = ("category", "title", "involvement", "position", *CITATION_FIELDS)
    autocomplete_fields = ("category",)
