"""When each row of the API was created and last changed, read from its history; ``?updated_since=``.

Every write records a history entry (django-simple-history, through the write layer), so the first
and the latest entry of a row are its ``created_at`` and ``updated_at``: no column of their own, so
exports, seed fingerprints and conflict checks see nothing new. A list annotates both in its one
query (two correlated subqueries on the history table's indexed id); a row just written, which
carries no annotation, reads them with one query.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.filters import BaseFilterBackend

PARAM = "updated_since"
NAMES = ("created_at", "updated_at")


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def annotate(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` with ``created_at`` and ``updated_at`` from each row's history (unchanged without one)."""
    history = history_of(queryset.model)
    if history is None:
        return queryset
    pk = queryset.model._meta.pk.attname
    entries = history._default_manager.filter(**{pk: models.OuterRef("pk")})
    return queryset.annotate(
        created_at=models.Subquery(entries.order_by("history_date", "history_id").values("history_date")[:1]),
        updated_at=models.Subquery(entries.order_by("-history_date", "-history_id").values("history_date")[:1]),
    )


@extend_schema_field(OpenApiTypes.DATETIME)
class TimestampField(serializers.ReadOnlyField):
    """``created_at`` or ``updated_at`` of the row (null for a row no write has recorded)."""

    def get_attribute(self, instance):
        name = str(self.field_name)
        if not hasattr(instance, name):
            row = annotate(type(instance)._default_manager.filter(pk=instance.pk)).values(*NAMES).first() or {}
            for name in NAMES:
                setattr(instance, name, row.get(name))
        return getattr(instance, name)

    def to_representation(self, value):
        return serializers.DateTimeField().to_representation(value) if value else None


class TimestampsMixin:
    """Adds ``created_at`` and ``updated_at`` (declared by ``with_timestamps``) after a model serializer's fields."""

    def get_field_names(self, declared_fields, info):
        own = {name: field for name, field in declared_fields.items() if name not in NAMES}
        names = list(super().get_field_names(own, info))  # type: ignore[misc]
        return names + [name for name in NAMES if name not in names]


_WITH_TIMESTAMPS: dict[type, type] = {}


def with_timestamps(serializer_class: type) -> type:
    """``serializer_class`` with the timestamps (the same name, so the schema's components keep theirs)."""
    if not issubclass(serializer_class, serializers.ModelSerializer) or issubclass(serializer_class, TimestampsMixin):
        return serializer_class
    if serializer_class not in _WITH_TIMESTAMPS:
        _WITH_TIMESTAMPS[serializer_class] = type(
            serializer_class.__name__,
            (TimestampsMixin, serializer_class),
            {
                "__module__": serializer_class.__module__,
                "__doc__": serializer_class.__doc__,
                "created_at": TimestampField(help_text="When the row was created (its first history entry)."),
                "updated_at": TimestampField(help_text="When the row last changed (its latest history entry)."),
            },
        )
    return _WITH_TIMESTAMPS[serializer_class]


def parse_since(raw: str) -> datetime.datetime:
    """An ISO 8601 moment or date (a date means its start, in the site's time zone), in UTC; a 400 otherwise."""
    moment = _moment(raw.strip())
    if moment is None:
        raise exceptions.ValidationError(
            {PARAM: [_("Give a date and time in ISO 8601, e.g. 2026-12-01T09:00:00Z, or a date.")]}
        )
    return moment


def _moment(text: str) -> datetime.datetime | None:
    """The moment ``text`` names, in UTC, or None when it names none.

    In UTC because PostgreSQL refuses an offset beyond ±15:59 that ISO 8601 and Python allow
    ("…T20:36:14-19:34" was a 500). A well-formed moment that does not exist ("2026-02-30") makes
    either parser raise ValueError, and one UTC cannot hold (the first hours of year 1 east of
    Greenwich) OverflowError: neither is a moment to compare with.
    """
    try:
        moment = parse_datetime(text.replace(" ", "+"))
        if moment is None:
            day = parse_date(text)
            if day is None:
                return None
            moment = datetime.datetime.combine(day, datetime.time.min)
        return (timezone.make_aware(moment) if timezone.is_naive(moment) else moment).astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=<ISO 8601>``: only rows created or changed at or after that moment.

    Deleted rows are not listed; the change feed (``/api/v1/changes/``) reports deletions.
    """

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(PARAM)
        history = history_of(queryset.model)
        if raw is None or history is None:
            return queryset
        since = parse_since(raw)
        pk = queryset.model._meta.pk.attname
        changed = history._default_manager.filter(history_date__gte=since).values(pk)
        return queryset.filter(pk__in=changed)

    def get_schema_operation_parameters(self, view):
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None or history_of(model) is None:
            return []
        return [
            {
                "name": PARAM,
                "required": False,
                "in": "query",
                "description": "Only rows created or changed at or after this moment (ISO 8601 date-time or date). "
                "Deleted rows are reported by the change feed.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
