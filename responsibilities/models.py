"""What roles do: duties, grouped into categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from roles.models import Cited, Role, Seeded


class DutyCategory(Seeded):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("duty category")
        verbose_name_plural = _("duty categories")

    def __str__(self):
        return self.name


class Duty(Cited):
    class Involvement(models.TextChoices):
        PERFORMS = "performs", _("Performs directly")
        OVERSEES = "oversees", _("Oversees")
        SUPPORTS = "supports", _("Supports or contributes")
        OCCASIONAL = "occasional", _("When needed")

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="duties")
    category = models.ForeignKey(
        DutyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="duties"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
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
            models.CheckConstraint(
                condition=models.Q(involvement__in=["performs", "oversees", "supports", "occasional"]),
                name="duty_involvement_valid",
            ),
            Cited.citation_constraint("duty_cited_or_editorial"),
        ]

    def __str__(self):
        return self.title
