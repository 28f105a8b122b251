from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


def _whole_number(raw: str) -> int | None:
    """``raw`` as a positive whole number written in ASCII digits, else None.

    ``str.isdigit`` alone is not enough: it accepts superscripts such as "²", which ``int`` refuses.
    """
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else None


class Pagination(PageNumberPagination):
    """Pages of 50 by default; clients may ask for up to 200 with ``page_size`` (more is capped)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Rows per page, 1–200 (default 50; larger values are capped at 200)."

    def get_page_size(self, request):
        # DRF quietly falls back to the default for a bad value; a client should hear about its mistake.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and _whole_number(raw) is None:
            raise exceptions.ValidationError({self.page_size_query_param: [_("Enter a whole number from 1 to 200.")]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        # DRF reads a blank ?page= as the first page; it is no page number, so it gets the 404 that
        # ?page=abc gets (Django's paginator refuses "" as it refuses "abc").
        if request.query_params.get(self.page_query_param) == "":
            return ""
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        # Say in the schema what get_page_size and the paginator accept: whole numbers from 1.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
