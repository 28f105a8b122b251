"""The search API: the same search as the search page, as JSON."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from knowledge.languages import localized
from knowledge.models import LANGUAGES

from .highlighting import highlight
from .query import COUNTED_MATCHES
from .results import category_url
from .search import (
    DEFAULT_LIMIT,
    KINDS,
    MAX_LIMIT,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    SearchQueryError,
    search_knowledge_base,
)
from .suggest import suggest


def _match_serializer(**kwargs):
    return inline_serializer(
        "SearchMatch",
        {
            "kind": serializers.ChoiceField(choices=["name", "duty", "qualification", "fact", "line"]),
            "id": serializers.IntegerField(
                help_text="The matching row's id: a role (its own name), a role title, a duty, a qualification, "
                "a key fact or a reporting line."
            ),
            "language": serializers.ChoiceField(choices=LANGUAGES, help_text="The language of the shown text."),
            "text": serializers.CharField(),
            "highlighted": serializers.CharField(
                help_text="The text as HTML: escaped, with the matching words wrapped in <mark>."
            ),
            "detail": serializers.CharField(help_text="A duty's description, else empty."),
            "detail_highlighted": serializers.CharField(),
            "label": serializers.CharField(
                help_text="A duty's category, a qualification's requirement and kind, a key fact's kind, or a "
                "reporting line's kind and the role it leads to."
            ),
            "rank": serializers.FloatField(),
            "url": serializers.CharField(help_text="The row on its role's page (an anchor the page highlights)."),
            "excerpt_highlighted": serializers.CharField(
                help_text="When the row was found by the source excerpt it cites: the excerpt as HTML, matching "
                "words in <mark>; else empty."
            ),
            "source": serializers.CharField(help_text="The title of that excerpt's source, else empty."),
        },
        **kwargs,
    )


@extend_schema(
    summary="Search roles, duties, qualifications, key facts, reporting lines and duty categories",
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
            description=f"Most matches of each kind (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}); with `kind`, a page.",
        ),
        OpenApiParameter(
            "kind",
            str,
            enum=list(KINDS),
            description="Search one kind of row only, page by page (`page`): all its matches, `limit` at a time.",
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            description=f"With `kind`: the page (1–{MAX_PAGE}, default 1).",
        ),
    ],
    responses={
        200: inline_serializer(
            "SearchResults",
            {
                "query": serializers.CharField(),
                "language": serializers.ChoiceField(choices=LANGUAGES),
                "backend": serializers.ChoiceField(
                    choices=["full-text", "substring"],
                    help_text="Always full-text, on every database (FTS5 on SQLite); `substring` is no longer used.",
                ),
                "database": serializers.ChoiceField(choices=["postgresql", "sqlite"]),
                "count": serializers.IntegerField(help_text="Number of matches in all groups."),
                "truncated": serializers.BooleanField(help_text="Whether more matches were left out by `limit`."),
                "totals": serializers.DictField(
                    child=serializers.IntegerField(),
                    help_text=f"How many rows of each kind searched match (counted up to {COUNTED_MATCHES + 1}).",
                ),
                "synonyms": serializers.ListField(
                    child=serializers.CharField(), help_text="Terms of the thesaurus also searched for."
                ),
                "categories": inline_serializer(
                    "SearchCategory",
                    {
                        "slug": serializers.SlugField(),
                        "name": serializers.CharField(),
                        "highlighted": serializers.CharField(),
                        "url": serializers.CharField(help_text="The responsibility matrix for the category."),
                    },
                    many=True,
                ),
                "corrections": serializers.DictField(
                    child=serializers.CharField(),
                    help_text="Each misspelt word of the query and the nearest word of the knowledge base, "
                    "searched for as well (empty when every word is known).",
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
        400: OpenApiResponse(
            description="`q` is missing, blank, too long or has no words; or `limit`, `kind` or `page` is invalid."
        ),
        404: OpenApiResponse(description="`page` is past the last page of the kind's matches."),
    },
)
@api_view(["GET"])
def search(request):
    """Roles by any title, synonym or abbreviation; duties, qualifications, key facts and reporting-line notes
    by their text; duty categories by name; and each of those by the source excerpt it cites — in English
    and Norwegian.

    Results are grouped by role, best first, the same on PostgreSQL and SQLite: full-text search with
    English and Norwegian word forms, a word also finds the words it begins, a misspelt word also finds
    the nearest word of the knowledge base (see `corrections`), and the thesaurus adds synonyms (see
    `synonyms`). Every match carries `url`, its row on the role's page.
    """
    limit = _whole_number(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    page = _whole_number(request, "page", 1, MAX_PAGE)
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ValidationError({"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]})
    try:
        results = search_knowledge_base(
            request.query_params.get("q"), language=request.LANGUAGE_CODE, limit=limit, kind=kind, page=page
        )
    except SearchQueryError as error:
        raise ValidationError({"q": [error.message]}) from None
    if results.past_the_last_page:
        raise NotFound(_("Invalid page."))
    return Response(_search_payload(results))


def _whole_number(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name, str(default))
    if not (raw.isascii() and raw.isdigit()):  # also refuses "٣" and " 3", which int() takes
        raise ValidationError({name: [_("Enter a whole number.")]})
    value = int(raw)
    if not 1 <= value <= maximum:
        raise ValidationError({name: [_("Enter a number from 1 to %(max)d.") % {"max": maximum}]})
    return value


def _search_payload(results):
    return {
        "query": results.query,
        "language": results.language,
        "backend": results.backend,
        "database": results.database,
        "count": results.count,
        "truncated": results.truncated,
        "totals": results.totals,
        "synonyms": results.synonyms,
        "corrections": results.corrections,
        "categories": [
            {
                "slug": category.slug,
                "name": localized(category, "name", results.language),
                "highlighted": str(highlight(localized(category, "name", results.language), results.marked)),
                "url": category_url(category),
            }
            for category, _rank in results.categories
        ],
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
                        "url": match.url,
                        "excerpt_highlighted": str(match.excerpt_highlighted),
                        "source": match.source,
                    }
                    for match in group.matches
                ],
            }
            for group in results.groups
        ],
    }


@extend_schema(
    summary="Suggestions as you type: roles by name, and words of the knowledge base",
    parameters=[
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description="What has been typed so far; the last word may be unfinished. "
            "Under two letters: no suggestions.",
        ),
        OpenApiParameter(
            "lang", str, enum=["en", "nb"], description="Language of the role titles (else Accept-Language)."
        ),
    ],
    responses={
        200: inline_serializer(
            "SearchSuggestions",
            {
                "query": serializers.CharField(),
                "suggestions": inline_serializer(
                    "SearchSuggestion",
                    {
                        "kind": serializers.ChoiceField(choices=["role", "term"]),
                        "text": serializers.CharField(),
                        "url": serializers.CharField(help_text="The role's page, or the search for the words."),
                    },
                    many=True,
                ),
            },
        ),
        400: OpenApiResponse(description="`q` is too long."),
    },
)
@api_view(["GET"])
def search_suggest(request):
    """Up to six roles whose names hold the typed words (the last as a beginning), then up to four words
    of the knowledge base that the last word begins. Two queries, whatever the size of the knowledge base."""
    raw = request.query_params.get("q", "")
    if len(raw) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": [_("Use at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH}]})
    found = suggest(raw, language=request.LANGUAGE_CODE)
    return Response(
        {"query": raw, "suggestions": [{"kind": item.kind, "text": item.text, "url": item.url} for item in found]}
    )


urlpatterns = [
    path("search/", search, name="search"),
    path("search/suggest/", search_suggest, name="search-suggest"),
]
