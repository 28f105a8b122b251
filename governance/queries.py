"""Reads of the review workflow: what awaits review, what is due, a role's draft and publications."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from roles.models import Role, add_months

from .models import Draft, Publication

DUE_SOON_DAYS = 30


def overdue_filter(today: datetime.date | None = None) -> Q:
    """Roles past their review date (or never reviewed): one condition per review interval in use."""
    today = today or timezone.localdate()
    condition = Q(last_reviewed__isnull=True)
    for months in Role.objects.order_by().values_list("review_interval_months", flat=True).distinct():
        condition |= Q(review_interval_months=months, last_reviewed__lt=add_months(today, -months))
    return condition


def due_filter(within_days: int, today: datetime.date | None = None) -> Q:
    """Roles due for review within ``within_days`` from ``today``, overdue ones included."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    condition = Q(last_reviewed__isnull=True)
    for months in Role.objects.order_by().values_list("review_interval_months", flat=True).distinct():
        condition |= Q(review_interval_months=months, last_reviewed__lte=add_months(horizon, -months))
    return condition


def drafts_awaiting_review() -> QuerySet[Draft]:
    return Draft.objects.filter(state=Draft.State.SUBMITTED).select_related("role", "author").order_by("submitted_at")


def drafts_in_progress() -> QuerySet[Draft]:
    return Draft.objects.exclude(state=Draft.State.SUBMITTED).select_related("role", "author").order_by("-updated_at")


def roles_due(within_days: int = DUE_SOON_DAYS) -> list[Role]:
    roles = list(
        Role.objects.filter(due_filter(within_days)).only(
            "slug", "title_en", "title_nb", "last_reviewed", "review_interval_months", "publication"
        )
    )
    return sorted(roles, key=lambda role: (role.review_due or datetime.date.min, role.slug))


def draft_of(role: Role) -> Draft | None:
    return Draft.objects.filter(role=role).select_related("author").first()


def publications_of(role: Role) -> QuerySet[Publication]:
    return Publication.objects.filter(role=role).defer("snapshot").order_by("-number")


def publication(role: Role, number: int) -> Publication | None:
    return Publication.objects.filter(role=role, number=number).first()
