"""Download endpoints for tables: ``/api/v1/export/<name>.csv`` and ``<name>.xlsx`` from one builder."""

from collections.abc import Callable, Iterable

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework.decorators import api_view

from .apitools import download
from .spreadsheets import XLSX, csv_text, xlsx_bytes

# A table: its header and its rows, built when asked for (in the request's language for readable names).
TableBuilder = Callable[[], tuple[list[str], Iterable[list]]]


def table_urls(name: str, build: TableBuilder, what: str, *, csv: bool = True) -> list:
    """URL patterns for ``export/<name>.xlsx`` (and ``.csv`` unless the app already serves one)."""

    @extend_schema(
        summary=f"{what} as an Excel workbook",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=f"{name}.xlsx")},
    )
    @api_view(["GET"])
    def as_xlsx(request):
        header, rows = build()
        return download(request, xlsx_bytes(name, header, rows), content_type=XLSX, filename=f"{name}.xlsx")

    @extend_schema(
        summary=f"{what} as CSV",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=f"{name}.csv")},
    )
    @api_view(["GET"])
    def as_csv(request):
        header, rows = build()
        body = csv_text(header, rows).encode("utf-8-sig")
        return download(request, body, content_type="text/csv; charset=utf-8", filename=f"{name}.csv")

    as_xlsx.cls.__name__ = as_csv.cls.__name__ = name.replace("-", "_")  # distinct operation ids
    patterns = [path(f"export/{name}.xlsx", as_xlsx, name=f"export-{name}-xlsx")]
    if csv:
        patterns.append(path(f"export/{name}.csv", as_csv, name=f"export-{name}-csv"))
    return patterns
