"""Titles of the ISCO-08 unit groups the knowledge base uses, so a code is shown with its meaning.

From the International Standard Classification of Occupations 2008 (ILO). A code
without an entry here is shown on its own.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNIT_GROUPS = {
    "1120": _("Managing directors and chief executives"),
    "1342": _("Health services managers"),
    "1343": _("Aged care services managers"),
    "2211": _("Generalist medical practitioners"),
    "2212": _("Specialist medical practitioners"),
    "2221": _("Nursing professionals"),
    "2222": _("Midwifery professionals"),
    "2261": _("Dentists"),
    "2262": _("Pharmacists"),
}


def occupations(codes: list[str]) -> list[tuple[str, str | Promise]]:
    """Each code with its unit-group title (empty when unknown)."""
    return [(code, UNIT_GROUPS.get(code, "")) for code in codes]
