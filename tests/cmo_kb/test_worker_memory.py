"""A worker carries the large libraries only once it uses them.

WeasyPrint (~45 MB a process), openpyxl (~20 MB), python-docx (~17 MB) and igraph (~10 MB) are
imported where a PDF, a spreadsheet, a Word file or the org chart is drawn, not with the views:
most workers serve role pages, the API and search, and never draw any of them.
"""

import json
import subprocess
import sys

from django.conf import settings

LARGE = ["weasyprint", "openpyxl", "docx", "igraph"]

PROBE = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().resolve("/roles/someone/")  # imports every URLconf and every view module
print(json.dumps([name for name in {LARGE!r} if name in sys.modules]))
"""


def test_loading_the_site_imports_none_of_the_large_libraries():
    result = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our own probe
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_each_is_imported_where_it_is_used():
    """The functions that draw with them import them: a PDF and the chart's layout still come out."""
    from descriptions.pdf import render_pdf
    from roles import orgchart_layout

    pdf = render_pdf("<p>Job description</p>", base_url="http://testserver/", host="testserver")
    assert pdf.startswith(b"%PDF")
    assert orgchart_layout.layout([], []).width >= 0
    assert {"weasyprint", "igraph"} <= set(sys.modules)
