"""Drafts and publications: a role's description is changed in a draft and published by an approver.

The content rows always hold the published description, so every reader sees it at no extra cost.
A role's ``Draft`` holds the proposed changes beside them as an ordered list of operations (add,
change or delete the role or one of its rows, each with the row version it was based on);
publishing applies them through the write layer and records a numbered ``Publication`` with a
snapshot of the description as published.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

APPROVERS = "Approvers"


class DraftState(models.TextChoices):
    OPEN = "open", _("Being edited")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned to the editors")


class Draft(models.Model):
    """The unpublished changes to one role's description; deleted when they are published or discarded."""

    State = DraftState

    role = models.OneToOneField("roles.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="draft")
    # Bumped by every change to the draft: an approver publishes exactly the draft they read.
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    operations = models.JSONField(_("operations"), default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("contributors"), related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    comment = models.TextField(_("reviewer's comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "created_at"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=DraftState.values), name="draft_state_valid"),
        ]

    def __str__(self):
        return str(self.role)


class Publication(models.Model):
    """One published version of a role's description: number, date, approver, note and what it said."""

    role = models.ForeignKey(
        "roles.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="publications"
    )
    number = models.PositiveIntegerField(_("number"))
    published_at = models.DateTimeField(_("published"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver_name = models.CharField(_("approved by"), max_length=150, blank=True)
    author_name = models.CharField(_("drafted by"), max_length=150, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # A superuser approving a draft they wrote themselves: allowed, and recorded here.
    self_approved = models.BooleanField(_("approved by its author"), default=False)
    snapshot = models.JSONField(_("description as published"))

    class Meta:
        ordering = ["role", "-number"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["role", "number"], name="publication_number_unique"),
        ]

    def __str__(self):
        return f"{self.role} #{self.number}"


class ReviewEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with a comment")
    PUBLISHED = "published", _("Published")
    SIGNED_OFF = "signed_off", _("Reviewed — no change")
    DISCARDED = "discarded", _("Draft discarded")


class ReviewEvent(models.Model):
    """What happened to a role's description under review: submitted, returned, published, signed off."""

    Kind = ReviewEventKind

    role = models.ForeignKey("roles.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    text = models.TextField(_("note"), max_length=2000, blank=True)
    publication = models.PositiveIntegerField(_("publication"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ReviewEventKind.values), name="reviewevent_kind_valid"),
        ]

    def __str__(self):
        return f"{self.role}: {self.get_kind_display()}"
