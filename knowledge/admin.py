"""The admin's shared pieces, and the admin of source documents."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Source

CITATION_FIELDS = ("source", "excerpt", "editorial")


class HistoryTranslationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """History and per-language tabs on one admin page."""


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "slug", "language")
    list_filter = ("language",)
    search_fields = ("title", "text")
    prepopulated_fields = {"slug": ("title",)}
