"""The API's filters (``?kind=…``), strict: a value outside a filter's list is a 400, never ignored.

Kept apart from ``apitools`` because REST framework imports the filter backend while it is still
loading its own views (DEFAULT_FILTER_BACKENDS), before the view sets here can be built.
"""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiTypes, extend_schema_field


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.TypedChoiceFilter):
    """``true`` or ``false``; anything else is a 400 (django-filter's BooleanFilter ignores it instead)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)


class StrictFilterSet(filters.FilterSet):
    """A filter with a fixed list of values refuses a blank one too (django-filter reads it as "no filter").

    The schema lists the values (an enum), so ``?kind=`` is outside it and a 400 says so, as for
    any other value that is not on the list.
    """

    def is_valid(self):
        valid = super().is_valid()
        blank = [
            name
            for name, filter_ in self.filters.items()
            if isinstance(filter_, filters.ChoiceFilter | filters.TypedChoiceFilter)
            and name in self.data
            and not self.data.get(name)
        ]
        for name in blank:
            self.form.add_error(name, _("Choose one of the listed values."))
        return valid and not blank


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, building the filters of a view's ``filterset_fields`` strictly too."""

    filterset_base = StrictFilterSet


class CitedFilterSet(StrictFilterSet):
    """Filters every cited resource has: the source it quotes, and whether it is editorial."""

    source = filters.CharFilter(field_name="source__slug", help_text="Slug of the cited source.")
    editorial = StrictBooleanFilter(help_text="Only editorial rows (true) or only rows quoting a source (false).")
