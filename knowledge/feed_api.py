"""``GET /api/v1/changes/?since=<cursor>``: the change feed, for systems that mirror the knowledge base."""

from collections.abc import Callable

from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from . import feed
from .models import FeedEvent

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# resource name → (URL name of its API detail, field its URL is looked up by); filled by the API's wiring.
DETAIL_URLS: dict[str, tuple[str, str]] = {}


def register_detail_url(model, url_name: str, lookup_field: str) -> None:
    DETAIL_URLS[feed.resource_name(model)] = (url_name, lookup_field)


def _url(absolute: Callable[[str], str], event: FeedEvent) -> str | None:
    """The resource's API address, absolute; None once deleted or for events about no one row."""
    if not DETAIL_URLS:
        get_resolver().url_patterns  # noqa: B018 - loads the API's wiring, which registers the addresses
    if event.event_type.endswith(f".{feed.DELETED}") or event.resource not in DETAIL_URLS:
        return None
    url_name, lookup = DETAIL_URLS[event.resource]
    value = event.object_id if lookup in ("pk", "id") else event.data.get(lookup)
    if value in (None, ""):
        return None
    try:
        return absolute(reverse(url_name, kwargs={lookup: value}))
    except NoReverseMatch:
        return None


def as_json(event: FeedEvent, absolute: Callable[[str], str]) -> dict:
    """An event as the feed and the webhooks send it; ``absolute`` turns a path into a full address."""
    return {
        "cursor": event.cursor,
        "type": event.event_type,
        "resource": event.resource,
        "id": event.object_id,
        "role": event.role or None,
        "version": event.row_version,
        "kb_version": event.kb_version,
        "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "url": _url(absolute, event),
        "data": event.data,
    }


def _limit(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise exceptions.ValidationError({"limit": [_("A whole number from 1 to %(max)s.") % {"max": MAX_LIMIT}]})
    return int(raw)


_EVENT_FIELDS: dict[str, serializers.Field] = {
    "cursor": serializers.CharField(help_text="Resume after this event by passing it as `since`."),
    "type": serializers.CharField(help_text="`<resource>.created|updated|deleted`, or `knowledge_base.*`."),
    "resource": serializers.CharField(help_text="e.g. `role`, `duty`, `qualification`, `reporting_line`."),
    "id": serializers.CharField(help_text="The row's id (a role's id, not its slug)."),
    "role": serializers.CharField(allow_null=True, help_text="Slug of the role the change is about."),
    "version": serializers.IntegerField(allow_null=True, help_text="The row's version after the change."),
    "kb_version": serializers.IntegerField(help_text="The knowledge base's version of the change."),
    "occurred_at": serializers.DateTimeField(),
    "url": serializers.URLField(allow_null=True, help_text="The resource now; null once deleted."),
    "data": serializers.DictField(help_text="Extra facts of some event types."),
}
SINCE_HELP = "The `next_cursor` of the previous page; omit or `0` for the beginning, `latest` for the end."
_NEXT_CURSOR_HELP = "Pass as `since` to continue; store it once the page is applied."


def _param(name: str, kind, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, description=description)


@extend_schema(
    summary="Every committed change, in commit order, from a cursor on",
    parameters=[
        _param(
            "since",
            OpenApiTypes.STR,
            "The `next_cursor` of the previous page; omit or `0` for the beginning; `latest` for the end.",
        ),
        _param("limit", OpenApiTypes.INT, f"Events per page, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT})."),
        _param("role", OpenApiTypes.STR, "Only changes about this role (slug)."),
        _param("type", OpenApiTypes.STR, "Only these event types, comma-separated; `role.*` takes a prefix."),
    ],
    responses={
        200: inline_serializer(
            "ChangePage",
            {
                "changes": inline_serializer("ChangeEvent", _EVENT_FIELDS, many=True),
                "next_cursor": serializers.CharField(help_text=_NEXT_CURSOR_HELP),
                "has_more": serializers.BooleanField(),
                "next": serializers.URLField(allow_null=True),
            },
        )
    },
)
@api_view(["GET"])
def changes(request):
    """Poll this to mirror the knowledge base: a client that stores `next_cursor` after applying a page
    never misses or repeats a change, even when writers commit out of order or the server restarts.

    Filters (`role`, `type`) still move the cursor past the events they leave out.
    """
    if request.query_params.get("since") == "latest":
        last = FeedEvent.objects.order_by("-kb_version", "-id").first()
        head = last.cursor if last else "0"
        return Response({"changes": [], "next_cursor": head, "has_more": False, "next": None})
    try:
        since = feed.parse_cursor(request.query_params.get("since"))
    except feed.BadCursor:
        raise exceptions.ValidationError({"since": [_("Not a cursor this feed handed out.")]}) from None
    limit = _limit(request.query_params.get("limit"))
    events = list(feed.after(since)[: limit + 1])
    has_more = len(events) > limit
    events = events[:limit]
    next_cursor = events[-1].cursor if events else request.query_params.get("since") or "0"
    role = request.query_params.get("role")
    types = [t.strip() for t in request.query_params.get("type", "").split(",") if t.strip()]
    chosen = [e for e in events if (not role or e.role == role) and (not types or _matches(e.event_type, types))]
    query = {key: value for key, value in request.query_params.items() if key != "since"}
    next_url = request.build_absolute_uri(f"{request.path}?{urlencode({**query, 'since': next_cursor})}")
    return Response(
        {
            "changes": [as_json(event, request.build_absolute_uri) for event in chosen],
            "next_cursor": next_cursor,
            "has_more": has_more,
            "next": next_url if has_more else None,
        }
    )


def _matches(event_type: str, patterns: list[str]) -> bool:
    return any(event_type == p or (p.endswith(".*") and event_type.startswith(p[:-1])) for p in patterns)
