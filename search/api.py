"""The search API: the same search as the search page, as JSON."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from knowledge.languages import localized
from knowledge.models import LANGUAGES

from .search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, SearchQueryError, search_knowledge_base


def _match_serializer(**kwargs):
    return inline_serializer(
        "SearchMatch",
        {
            "kind": serializers.ChoiceField(choices=["name", "duty", "qualification"]),
            "id": serializers.IntegerField(
                help_text="The matching row's id: a role (its own name), a role title, a duty or a qualification."
            ),
            "language": serializers.ChoiceField(choices=LANGUAGES, help_text="The language of the shown text."),
            "text": serializers.CharField(),
            "highlighted": serializers.CharField(
                help_text="The text as HTML: escaped, with the matching words wrapped in <mark>."
            ),
            "detail": serializers.CharField(help_text="A duty's description, else empty."),
            "detail_highlighted": serializers.CharField(),
            "label": serializers.CharField(help_text="A duty's category, or a qualification's requirement and kind."),
            "rank": serializers.FloatField(),
        },
        **kwargs,
    )


@extend_schema(
    summary="Search roles, duties and qualifications",
    parameters=[
        OpenApiParameter(
            "q",
            # Not blank. That it must also hold a word (a letter or digit of any script) is not written
            # as a pattern: JSON Schema's ECMA \w is ASCII only, so it would call "æ" no word.
            {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
            required=True,
            description=f"What to look for: words (letters or digits of any script), at most {MAX_QUERY_LENGTH} "
            "characters. Spaces or punctuation alone get 400.",
        ),
        OpenApiParameter(
            "lang", str, enum=["en", "nb"], description="Language to show texts in (else Accept-Language)."
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            description=f"Most matches of each kind (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}).",
        ),
    ],
    responses={
        200: inline_serializer(
            "SearchResults",
            {
                "query": serializers.CharField(),
                "language": serializers.ChoiceField(choices=LANGUAGES),
                "backend": serializers.ChoiceField(choices=["full-text", "substring"]),
                "count": serializers.IntegerField(help_text="Number of matches in all groups."),
                "truncated": serializers.BooleanField(help_text="Whether more matches were left out by `limit`."),
                "corrections": serializers.DictField(
                    child=serializers.CharField(),
                    help_text="Each misspelt word of the query and the nearest word of the knowledge base, "
                    "searched for as well (PostgreSQL only; empty when every word is known).",
                ),
                "results": inline_serializer(
                    "SearchRoleGroup",
                    {
                        "role": inline_serializer(
                            "SearchRole",
                            {
                                "slug": serializers.SlugField(),
                                "title": serializers.CharField(),
                                "abbreviation": serializers.CharField(),
                                "level": serializers.CharField(),
                                "url": serializers.CharField(help_text="The role's page."),
                            },
                        ),
                        "score": serializers.FloatField(),
                        "matches": _match_serializer(many=True),
                    },
                    many=True,
                ),
            },
        ),
        400: OpenApiResponse(description="`q` is missing, blank, too long or has no words; or `limit` is invalid."),
    },
)
@api_view(["GET"])
def search(request):
    """Roles by any title or synonym, and duties and qualifications by their text, in English and Norwegian.

    Results are grouped by role, best first. On PostgreSQL matching is full-text
    (english and norwegian), a word also finds the words that begin with it, and a misspelt
    word also finds the nearest word of the knowledge base (see `corrections`); elsewhere a
    plain case-insensitive substring match on every word.
    """
    raw_limit = request.query_params.get("limit", str(DEFAULT_LIMIT))
    if not (raw_limit.isascii() and raw_limit.isdigit()):  # also refuses "٣" and " 3", which int() takes
        raise ValidationError({"limit": [_("Enter a whole number.")]})
    limit = int(raw_limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [_("Enter a number from 1 to %(max)d.") % {"max": MAX_LIMIT}]})
    try:
        results = search_knowledge_base(request.query_params.get("q"), language=request.LANGUAGE_CODE, limit=limit)
    except SearchQueryError as error:
        raise ValidationError({"q": [error.message]}) from None
    return Response(_search_payload(results))


def _search_payload(results):
    return {
        "query": results.query,
        "language": results.language,
        "backend": results.backend,
        "count": results.count,
        "truncated": results.truncated,
        "corrections": results.corrections,
        "results": [
            {
                "role": {
                    "slug": group.role.slug,
                    "title": group.title,
                    "abbreviation": localized(group.role, "abbreviation", results.language),
                    "level": group.role.level,
                    "url": group.role.get_absolute_url(),
                },
                "score": round(group.score, 4),
                "matches": [
                    {
                        "kind": match.kind,
                        "id": match.obj.pk,
                        "language": match.language,
                        "text": match.text,
                        "highlighted": str(match.highlighted),
                        "detail": match.detail,
                        "detail_highlighted": str(match.detail_highlighted),
                        "label": str(match.label),
                        "rank": round(match.rank, 4),
                    }
                    for match in group.matches
                ],
            }
            for group in results.groups
        ],
    }


urlpatterns = [path("search/", search, name="search")]
