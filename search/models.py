"""The search thesaurus: words and phrases of the field that mean the same, in English and Norwegian."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from knowledge.models import Versioned, bounded_text

MAX_TERMS = 12


def split_terms(text: str) -> list[str]:
    """The entry's terms: comma- or line-separated, whitespace collapsed, lower-cased, distinct."""
    terms: list[str] = []
    for part in re.split(r"[,\n;]", text or ""):
        term = " ".join(part.split()).casefold()
        if term and term not in terms:
            terms.append(term)
    return terms


class ThesaurusEntry(Versioned):
    """Terms a search treats as one: searching for any of them also finds the others."""

    terms = bounded_text(
        _("terms"),
        1000,
        help_text=_(
            "Words or phrases that mean the same, separated by commas, in either language "
            "(for example: pay, salary, compensation, lønn)."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus entries")
        ordering = ["terms"]

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self):
        super().clean()
        terms = self.term_list
        if len(terms) < 2:
            raise ValidationError({"terms": _("Give at least two terms that mean the same, separated by commas.")})
        if len(terms) > MAX_TERMS:
            raise ValidationError({"terms": _("Give at most %(max)d terms in one entry.") % {"max": MAX_TERMS}})
        if any(not re.search(r"\w", term) for term in terms):
            raise ValidationError({"terms": _("Every term needs a letter or digit.")})
