"""The admin of a role's own rows; the role itself is registered with all its rows in ``descriptions.admin``."""

from django.contrib import admin

from knowledge.admin import (
    CITATION_FIELDS,
    ContentAdmin,
    ContentInline,
    TranslatedContentAdmin,
    TranslatedContentInline,
)

from .models import Qualification, ReportingLine, RoleFact, RoleTitle


class RoleTitleInline(ContentInline):
    model = RoleTitle
    extra = 0
    fields = ("language", "kind", "title", *CITATION_FIELDS)


class RoleFactInline(TranslatedContentInline):
    model = RoleFact
    extra = 0
    fields = ("kind", "text", "position", *CITATION_FIELDS)


class QualificationInline(TranslatedContentInline):
    model = Qualification
    extra = 0
    fields = ("kind", "requirement", "text", "minimum_years", "position", *CITATION_FIELDS)


class ReportsToInline(TranslatedContentInline):
    model = ReportingLine
    fk_name = "subordinate"
    extra = 0
    verbose_name = "line to a superior role"
    verbose_name_plural = "lines to superior roles"
    fields = ("superior", "kind", "note", *CITATION_FIELDS)


@admin.register(RoleTitle)
class RoleTitleAdmin(ContentAdmin):
    list_display = ("title", "role", "language", "kind", "editorial")
    list_filter = ("language", "kind", "role", "editorial")
    search_fields = ("title", "role__title_en")
    autocomplete_fields = ("role",)


@admin.register(RoleFact)
class RoleFactAdmin(TranslatedContentAdmin):
    list_display = ("__str__", "role", "kind", "source", "editorial")
    list_filter = ("kind", "role", "source", "editorial")
    search_fields = ("text_en", "text_nb", "excerpt")
    autocomplete_fields = ("role",)


@admin.register(Qualification)
class QualificationAdmin(TranslatedContentAdmin):
    list_display = ("__str__", "role", "kind", "requirement", "minimum_years", "source", "editorial")
    list_filter = ("kind", "requirement", "role", "source", "editorial")
    search_fields = ("text_en", "text_nb", "excerpt")
    autocomplete_fields = ("role",)


@admin.register(ReportingLine)
class ReportingLineAdmin(TranslatedContentAdmin):
    list_display = ("subordinate", "kind", "superior", "source", "editorial")
    list_filter = ("kind", "editorial", "superior")
    search_fields = ("subordinate__title_en", "superior__title_en", "note_en", "note_nb")
    autocomplete_fields = ("subordinate", "superior")
