"""What an editor says about a source beyond what the knowledge base cites from it.

A source's coverage is the share of its sentences that some fact cites or that an editor has
marked as stating nothing about a role. A mark quotes its sentence like a citation does
(``Cited``: the passage must occur in the source, and a correction of the source's text that
would lose it is refused, listing the mark), and says why in both languages.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from knowledge.models import Cited, Exchange, bounded_text


class SentenceMark(Cited):
    """A passage of a source that states nothing about a role, and why (e.g. the page's navigation)."""

    exchange = Exchange(section="sentence_marks", order=("source", "excerpt"), seed_section="marks", seed_key="mark")

    reason = bounded_text(_("why it states nothing about a role"), 500)

    class Meta:
        ordering = ["source", "pk"]
        verbose_name = _("passage that states nothing about a role")
        verbose_name_plural = _("passages that state nothing about a role")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__isnull=False) & ~models.Q(excerpt="") & models.Q(editorial=False),
                name="sentencemark_quotes_its_source",
            ),
        ]

    def __str__(self):
        return str(self.excerpt)

    def clean(self):
        if self.source_id is None:
            raise ValidationError({"source": _("Choose the source this passage comes from.")})
        if not any((getattr(self, f"reason_{code}", "") or "").strip() for code in ("en", "nb")):
            raise ValidationError({"reason_en": _("Say why this passage states nothing about a role.")})
        super().clean()
