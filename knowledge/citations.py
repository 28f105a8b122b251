"""The rows that cite a source, and the rule that a source's text keeps every excerpt cited from it.

A fact's excerpt is checked against its source when the fact is saved (``rules.validate_citation``).
This is the other side of that rule: a change to the source's text is refused when an excerpt cited
from it would no longer occur in the new text, naming each row it would strand so the editor can fix
those first. Every content model with a ``source`` foreign key counts, whichever app it lives in.
"""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .contents import content_models, references
from .models import Cited, Source
from .rules import excerpt_occurs_in

LISTED = 50  # rows named in the error; more are counted


@cache  # the app registry is complete by the time anything writes
def citing_models(source_model: type[models.Model]) -> list[type[Cited]]:
    """Every content model whose ``source`` points at ``source_model``."""
    return [
        model
        for model in content_models()
        if issubclass(model, Cited) and references(model).get("source") is source_model
    ]


def stranded_rows(source: Source, text: str) -> list[Cited]:
    """The rows citing ``source`` whose excerpt would not occur in ``text``."""
    stranded: list[Cited] = []
    for model in citing_models(type(source)):
        owners = [name for name in references(model) if name != "source"]
        rows = model._default_manager.filter(source=source).exclude(excerpt="").select_related(*owners)
        stranded += [row for row in rows.order_by("pk") if not excerpt_occurs_in(row.excerpt, text)]
    return stranded


def describe(row: Cited) -> str:
    """A cited row as an editor finds it: what it is, whose it is, its text and the excerpt it cites."""
    owners = [getattr(row, name) for name in references(type(row)) if name != "source"]
    values = {
        "model": str(row._meta.verbose_name).capitalize(),
        "text": Truncator(str(row)).chars(100),
        "excerpt": Truncator(row.excerpt).chars(100),
    }
    if owners and owners[0] is not None:
        return _("%(model)s of “%(owner)s”: “%(text)s” (cites “%(excerpt)s”)") % {**values, "owner": owners[0]}
    return _("%(model)s “%(text)s” (cites “%(excerpt)s”)") % values


def validate_source_text(instance: models.Model) -> None:
    if not isinstance(instance, Source):
        return
    """Refuse new text for a saved source that would strand an excerpt cited from it."""
    if instance.pk is None or instance._state.adding or not citing_models(type(instance)):
        return
    stranded = stranded_rows(instance, instance.text)
    if not stranded:
        return
    messages = [
        _(
            "The new text no longer contains the excerpts these rows cite. Change their excerpts "
            "(or mark them editorial) first, or keep the passages in the text:"
        ),
        *(describe(row) for row in stranded[:LISTED]),
    ]
    if len(stranded) > LISTED:
        messages.append(_("… and %(count)s more rows.") % {"count": len(stranded) - LISTED})
    raise ValidationError({"text": messages})
