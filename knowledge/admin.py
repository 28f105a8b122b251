"""The admin's shared pieces, and the admin of source documents.

Every content model's admin is a ``ContentAdmin`` (or ``TranslatedContentAdmin``, with a tab per
language) and every inline of a content model a ``ContentInline`` (or ``TranslatedContentInline``):
they write through the write layer, version-checked, as ``knowledge.admin_writes`` explains.
"""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .admin_writes import VersionedAdminMixin, VersionedInlineMixin
from .models import Source

CITATION_FIELDS = ("source", "excerpt", "editorial")


class ContentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """A content model's admin: writes through the services, with its history."""


class TranslatedContentAdmin(VersionedAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """A content model's admin with a tab per language."""


class ContentInline(VersionedInlineMixin, admin.TabularInline):
    """A content model's rows on another row's admin page."""


class TranslatedContentInline(VersionedInlineMixin, TranslationTabularInline):
    """A content model's rows on another row's admin page, with each language's columns."""


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ("title", "slug", "language", "origin", "date")
    list_filter = ("language",)
    readonly_fields = ("checksum",)
    search_fields = ("title", "text")
    prepopulated_fields = {"slug": ("title",)}
