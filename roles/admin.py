from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle, Source

CITATION_FIELDS = ("source", "excerpt", "editorial")


class HistoryTranslationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """History and per-language tabs on one admin page."""


class RoleTitleInline(admin.TabularInline):
    model = RoleTitle
    extra = 0
    fields = ("language", "kind", "title", *CITATION_FIELDS)


class RoleFactInline(TranslationTabularInline):
    model = RoleFact
    extra = 0
    fields = ("kind", "text", "position", *CITATION_FIELDS)


class QualificationInline(TranslationTabularInline):
    model = Qualification
    extra = 0
    fields = ("kind", "requirement", "text", "minimum_years", "position", *CITATION_FIELDS)


class ReportsToInline(TranslationTabularInline):
    model = ReportingLine
    fk_name = "subordinate"
    extra = 0
    verbose_name = "line to a superior role"
    verbose_name_plural = "lines to superior roles"
    fields = ("superior", "kind", "note", *CITATION_FIELDS)


@admin.register(Role)
class RoleAdmin(HistoryTranslationAdmin):
    list_display = ("title", "abbreviation", "slug", "level", "occupation_codes", "position", "editorial")
    list_filter = ("level", "editorial")
    search_fields = ("title_en", "title_nb", "abbreviation_en", "slug", "titles__title")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [RoleTitleInline, RoleFactInline, QualificationInline, ReportsToInline]  # + duties, see responsibilities
    readonly_fields = ("version",)


@admin.register(RoleTitle)
class RoleTitleAdmin(SimpleHistoryAdmin):
    list_display = ("title", "role", "language", "kind", "editorial")
    list_filter = ("language", "kind", "role", "editorial")
    search_fields = ("title", "role__title_en")
    autocomplete_fields = ("role",)


@admin.register(RoleFact)
class RoleFactAdmin(HistoryTranslationAdmin):
    list_display = ("__str__", "role", "kind", "source", "editorial")
    list_filter = ("kind", "role", "source", "editorial")
    search_fields = ("text_en", "text_nb", "excerpt")
    autocomplete_fields = ("role",)


@admin.register(Qualification)
class QualificationAdmin(HistoryTranslationAdmin):
    list_display = ("__str__", "role", "kind", "requirement", "minimum_years", "source", "editorial")
    list_filter = ("kind", "requirement", "role", "source", "editorial")
    search_fields = ("text_en", "text_nb", "excerpt")
    autocomplete_fields = ("role",)


@admin.register(ReportingLine)
class ReportingLineAdmin(HistoryTranslationAdmin):
    list_display = ("subordinate", "kind", "superior", "source", "editorial")
    list_filter = ("kind", "editorial", "superior")
    search_fields = ("subordinate__title_en", "superior__title_en", "note_en", "note_nb")
    autocomplete_fields = ("subordinate", "superior")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "slug", "language")
    list_filter = ("language",)
    search_fields = ("title", "text")
    prepopulated_fields = {"slug": ("title",)}
