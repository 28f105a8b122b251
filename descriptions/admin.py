"""A role in the admin: the role with all its rows as inlines, titles to duties, as the edit page shows it."""

from django.contrib import admin

from knowledge.admin import TranslatedContentAdmin
from responsibilities.admin import DutyInline
from roles.admin import QualificationInline, ReportsToInline, RoleFactInline, RoleTitleInline
from roles.models import Role


@admin.register(Role)
class RoleAdmin(TranslatedContentAdmin):
    list_display = ("title", "abbreviation", "slug", "level", "department", "grade", "position", "editorial")
    list_filter = ("level", "contract_basis", "editorial")
    search_fields = (
        "title_en",
        "title_nb",
        "abbreviation_en",
        "slug",
        "titles__title",
        "department_en",
        "department_nb",
    )
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [RoleTitleInline, RoleFactInline, QualificationInline, ReportsToInline, DutyInline]
