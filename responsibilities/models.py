"""What roles do: duties, grouped into categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from knowledge.models import Cited, Exchange, Seeded, bounded_text, choices_constraint
from roles.models import Role


class DutyCategory(Seeded):
    exchange = Exchange(section="duty_categories", order=("slug",), seed_section="categories", seed_key="category")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = bounded_text(_("description"), 1000, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("duty category")
        verbose_name_plural = _("duty categories")

    def __str__(self):
        return self.name


class Involvement(models.TextChoices):
    PERFORMS = "performs", _("Performs directly")
    OVERSEES = "oversees", _("Oversees")
    SUPPORTS = "supports", _("Supports or contributes")
    OCCASIONAL = "occasional", _("When needed")


class Duty(Cited):
    Involvement = Involvement
    exchange = Exchange(
        section="duties",
        order=("role", "category", "position"),
        seed_section="duties",
        seed_key="duty",
        numbered_within="role",
    )

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="duties")
    category = models.ForeignKey(
        DutyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="duties"
    )
    title = models.CharField(_("title"), max_length=200)
    description = bounded_text(_("description"), 2000, blank=True)
    involvement = models.CharField(
        _("involvement"), max_length=20, choices=Involvement.choices, default=Involvement.PERFORMS
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["role", "category__position", "position", "pk"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        indexes = [models.Index(fields=["role", "position"], name="duty_role_position")]
        constraints = [
            choices_constraint("involvement", Involvement, "duty_involvement_valid"),
            Cited.citation_constraint("duty_cited_or_editorial"),
        ]

    def __str__(self):
        return self.title
