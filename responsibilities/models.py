"""What roles do: duties, grouped into categories, and who does what across roles (the RACI matrix)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from knowledge import version
from knowledge.models import Cited, Exchange, Seeded, TranslationTracked, bounded_text, choices_constraint
from roles.models import Role, RoleOwned


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


class Duty(RoleOwned, TranslationTracked, Cited):
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

    def cache_scopes(self, change: str) -> set[str]:
        # The directory counts each role's duties: adding or removing one changes it, editing one does not,
        # unless the edit moves it to another category (the directory's category filter finds roles by
        # their duties' categories). The category named here makes such an edit read as leaving one
        # place and arriving in another, which content_update treats as a delete and a create.
        scopes = super().cache_scopes(change)
        if change == version.UPDATE:
            return scopes | {f"duty-category:{self.category_id}"}
        return scopes | {version.DIRECTORY}


class Letter(models.TextChoices):
    """A role's part in an activity (RACI)."""

    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class RuleBreak(models.TextChoices):
    """How an activity's letters can break the matrix's rules: exactly one A, at least one R."""

    NO_ACCOUNTABLE = "no_a", _("no role is accountable (A)")
    SEVERAL_ACCOUNTABLE = "several_a", _("more than one role is accountable (A)")
    NO_RESPONSIBLE = "no_r", _("no role is responsible (R)")


def rule_breaks(letters: Iterable[str]) -> list[RuleBreak]:
    """The rules an activity with these letters (one per role) breaks; empty when it keeps them all."""
    letters = list(letters)
    breaks = []
    accountable = letters.count(Letter.ACCOUNTABLE)
    if accountable == 0:
        breaks.append(RuleBreak.NO_ACCOUNTABLE)
    elif accountable > 1:
        breaks.append(RuleBreak.SEVERAL_ACCOUNTABLE)
    if Letter.RESPONSIBLE not in letters:
        breaks.append(RuleBreak.NO_RESPONSIBLE)
    return breaks


class Activity(Seeded):
    """A piece of work several roles take part in: the row of the responsibility matrix.

    Its cells are ``Assignment`` rows, one per role; the rules over them (exactly one A, at least
    one R) span rows, so they are checked where the cells are written (``responsibilities.services``).
    """

    exchange = Exchange(
        section="activities",
        order=("category", "position", "slug"),
        seed_section="activities",
        seed_key="activity",
        numbered_within="category",
    )

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    category = models.ForeignKey(
        DutyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    description = bounded_text(_("description"), 2000, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category__position", "position", "slug"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["category", "position"], name="activity_category_position")]

    def __str__(self):
        return self.title


class Assignment(RoleOwned, Cited):
    """One cell of the matrix: a role's part (R, A, C or I) in an activity, with the duty it concerns."""

    Letter = Letter
    exchange = Exchange(
        section="assignments", order=("activity", "role"), seed_section="assignments", seed_key="assignment"
    )

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="assignments")
    letter = models.CharField(_("letter"), max_length=1, choices=Letter.choices)
    duty = models.ForeignKey(
        Duty,
        verbose_name=_("duty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        help_text=_("The role's duty this part of the work is."),
    )

    class Meta:
        ordering = ["activity", "role__position", "role__slug"]
        verbose_name = _("role's part in an activity")
        verbose_name_plural = _("roles' parts in activities")
        indexes = [models.Index(fields=["role", "letter"], name="assignment_role_letter")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "role"], name="assignment_one_per_role"),
            choices_constraint("letter", Letter, "assignment_letter_valid"),
            Cited.citation_constraint("assignment_cited_or_editorial"),
        ]

    def __str__(self):
        return f"{self.role}: {self.letter}"

    def clean(self):
        super().clean()
        if self.duty is not None and self.role_id is not None and self.duty.role_id != self.role_id:
            raise ValidationError({"duty": _("Choose a duty of this role.")})
