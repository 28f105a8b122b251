from django.contrib import admin

from knowledge.admin import CITATION_FIELDS, ContentAdmin, TranslatedContentAdmin, TranslatedContentInline

from .models import Activity, Assignment, Duty, DutyCategory


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


@admin.register(Activity)
class ActivityAdmin(TranslatedContentAdmin):
    """An activity's own fields; its cells are set on the matrix page or through the API, where the
    rules over the whole set (one A, at least one R) are checked."""

    list_display = ("title", "slug", "category", "position")
    list_filter = ("category",)
    search_fields = ("title_en", "title_nb", "slug")
    prepopulated_fields = {"slug": ("title_en",)}


@admin.register(Assignment)
class AssignmentAdmin(ContentAdmin):
    """Cells, to look up and trace in their history; changed on the matrix page or through the API."""

    list_display = ("activity", "role", "letter", "duty", "source", "editorial")
    list_filter = ("letter", "activity__category", "editorial")
    search_fields = ("activity__title_en", "activity__title_nb", "role__slug", "excerpt")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
