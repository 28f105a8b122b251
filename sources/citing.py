"""Cite by selecting: a passage of a source becomes a new row of a role through that row's own add page.

The new row is not written here: the user is sent to the role's item add page (the same view,
form and write path as adding from the role's edit page) with the source and excerpt filled in,
and comes back to the source page once it is saved.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from knowledge.models import Source
from responsibilities.editing import DUTIES
from roles.editing import FACTS, LINES, QUALIFICATIONS, TITLES
from roles.models import Role

CITE_KINDS = [
    ("duties", _("Duty"), DUTIES),
    ("qualifications", _("Qualification"), QUALIFICATIONS),
    ("facts", _("Key fact"), FACTS),
    ("titles", _("Title"), TITLES),
    ("lines", _("Reporting line"), LINES),
]
KINDS = {key: kind for key, _label, kind in CITE_KINDS}


def cite_url(*, source: Source, excerpt: str, role: Role, kind_key: str) -> str:
    """The add page of a ``kind_key`` row of ``role``, citing ``excerpt`` of ``source``, returning to the source."""
    kind = KINDS[kind_key]
    back = reverse("sources:detail", kwargs={"slug": source.slug})
    query = urlencode({"source": source.pk, "excerpt": excerpt, "next": back})
    return f"{reverse(kind.add_url, kwargs={'slug': role.slug})}?{query}"
