"""The API's filters (``?kind=…``), strict: a value outside a filter's list is a 400, never ignored.

Kept apart from ``apitools`` because REST framework imports the filter backend while it is still
loading its own views (DEFAULT_FILTER_BACKENDS), before the view sets here can be built.
"""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiTypes, extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


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


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` with a field that is not on the view's list is a 400 naming the allowed ones.

    REST framework drops an unknown field silently, so a typo returned rows in another order than
    asked; the schema lists the allowed values (each field, and ``-field`` for descending).
    """

    def allowed(self, view) -> list[str]:
        names = [name for name, _label in self.get_valid_fields(view.get_queryset(), view, {"request": None})]
        return sorted(names + [f"-{name}" for name in names])

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            allowed = self.allowed(view)
            unknown = [term for term in terms if term not in allowed]
            if unknown or not terms:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown ordering: %(names)s. Use one of: %(allowed)s.")
                            % {"names": ", ".join(unknown) or "''", "allowed": ", ".join(allowed)}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        allowed = self.allowed(view)
        if not allowed:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, comma-separated; `-` in front sorts descending. "
                "Any other value is a 400.",
                "schema": {"type": "array", "items": {"type": "string", "enum": allowed}},
                "style": "form",
                "explode": False,
            }
        ]
