"""CSV and workbooks for spreadsheets: cells that a spreadsheet will not run as formulas."""

import csv
import io

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def spreadsheet_cell(value):
    """A workbook cell's value: text a spreadsheet will not run as a formula; numbers and booleans as they are."""
    return value if isinstance(value, bool | int | float) else _cell(value)


def csv_text(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
