"""OpenAPI generation: document the headers and errors every operation shares, once.

Each operation gets its problem+json error responses, reads get ``If-None-Match``
and an ``ETag`` response header (and 304), writes get ``If-Match`` (and 409/412/428),
and list/detail reads of the knowledge-base resources get the ``fields`` parameter (the resource's
field names) and answer with ``<Component>Selection`` bodies (``selectable_fields``). Reads say they
need no credentials while the knowledge base is public.
"""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes
from rest_framework import serializers

from .apitools import FIELDS_PARAM, ContentViewSet
from .problems import MEDIA_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI reference naming the kind of problem; branch on this.")
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    instance = serializers.CharField(help_text="The request path and query this problem is about.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Field name → list of messages (non_field_errors for the request as a whole).",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="On 409/412: the version the resource has now."
    )


ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201", "304"],
    description='Entity tag of this representation: "<row version>.<digest>" on single resources.',
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=["201"],
    description="The absolute address of the resource just created.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you hold; if it still matches, the answer is 304 Not Modified without a body.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. A stale one gets 412 and changes nothing. Without it, send `version` "
    "in the body (stale → 409); with neither the answer is 428.",
)


def fields_parameter(names) -> OpenApiParameter:
    """``?fields=slug,title``: a comma-separated list of this resource's field names (others are a 400)."""
    return OpenApiParameter(
        FIELDS_PARAM,
        {"type": "array", "items": {"type": "string", "enum": sorted(names)}},
        OpenApiParameter.QUERY,
        style="form",
        explode=False,
        description="Comma-separated field names to return (others are left out), e.g. `slug,title`.",
    )


LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["en", "nb"],
    description="Content language (wins over Accept-Language). Plain fields such as `title` read and write it.",
)
CONTENT_LANGUAGE = OpenApiParameter(
    "Content-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201"],
    description="The language of the plain translatable fields in this response.",
)


def _problem(description):
    return OpenApiResponse(ProblemSerializer, description=description)


ERRORS_ANY = {
    "401": "Authentication needed (anonymous write, or reading while public read is off).",
    "403": "Signed in without the rights for this.",
    "429": "Too many requests; see Retry-After.",
}
ERRORS_READ = {
    "400": "A query parameter is not valid (filter, fields).",
    "406": "The Accept header takes none of this resource's media types.",
}
ERRORS_DETAIL = {"404": "No such resource."}
ERRORS_LIST = {"404": "No such page."}
ERRORS_WRITE = {
    "400": "The body is not valid; `errors` names the fields.",
    "413": "The body is too large.",
    "415": "Send JSON.",
}
ERRORS_CHANGE = {
    "404": "No such resource.",
    "409": "The `version` in the body is stale, or the resource is still in use.",
    "412": "The If-Match ETag is stale; nothing changed.",
    "428": "Neither If-Match nor `version` was sent.",
}


# Each operation of a content resource, said for that resource: (summary, what a client must know).
_VERSION_RULE = (
    "Name the version you change: `If-Match` with the ETag you read (stale → 412) or `version` in the body "
    "(stale → 409); with neither, 428."
)
OPERATIONS = {
    "list": ("List {plural}", "Paginated; filters, `?search=`, `?ordering=` and `?fields=` as listed below."),
    "retrieve": ("One {name}", "With an ETag: send it back as `If-None-Match` for a 304 when nothing changed."),
    "create": (
        "Create a {name}",
        "Needs an editor's rights. Answers 201 with the new {name}, its `Location` and the ETag to change it with.",
    ),
    "update": ("Replace a {name}", "Send every field. " + _VERSION_RULE),
    "partial_update": ("Change some fields of a {name}", "Send only the fields to change. " + _VERSION_RULE),
    "destroy": (
        "Delete a {name}",
        _VERSION_RULE + " Every change is kept in the history and can be restored there.",
    ),
}


class KnowledgeBaseSchema(AutoSchema):
    def _is_content_view(self):
        return isinstance(self.view, ContentViewSet)

    def _operation_text(self) -> tuple[str, str] | None:
        action = getattr(self.view, "action", None)
        queryset = getattr(self.view, "queryset", None)
        if not self._is_content_view() or action not in OPERATIONS or queryset is None:
            return None
        meta = queryset.model._meta
        summary, description = OPERATIONS[action]
        names = {"name": meta.verbose_name, "plural": meta.verbose_name_plural}
        return summary.format(**names), description.format(**names)

    def get_summary(self):
        text = self._operation_text()
        return text[0] if text and not super().get_summary() else super().get_summary()

    def get_description(self):
        text = self._operation_text()
        own = super().get_description()
        if text is None:
            return own
        generic = (ContentViewSet.__doc__ or "").strip()
        return text[1] if not own or own.strip() == generic else f"{text[1]}\n\n{own}"

    def get_auth(self):
        # Reads need no credentials while the knowledge base is public (KnowledgeBasePermission):
        # say so, or a client (and schemathesis) takes the token for a requirement.
        auth = super().get_auth()
        if auth and self.method == "GET" and settings.KB_PUBLIC_READ and {} not in auth:
            auth.append({})
        return auth

    def _resolve_path_parameters(self, variables):
        # The one path variable of a content resource is its lookup (slug or id): give its example.
        parameters = super()._resolve_path_parameters(variables)
        example = getattr(self.view, "lookup_example", None)
        if example is not None and len(parameters) == 1:
            parameters[0]["example"] = example
        return parameters

    def _is_detail(self):
        return "{" in self.path

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        parameters.append(LANG)
        parameters.append(CONTENT_LANGUAGE)
        if self.method == "GET":
            parameters += [IF_NONE_MATCH, ETAG]
            if self._is_content_view() and getattr(self.view, "action", None) in ("list", "retrieve"):
                parameters.append(fields_parameter(self.view.get_serializer_class()().fields))
        elif self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(IF_MATCH)
            if self.method != "DELETE":
                parameters.append(ETAG)
        elif self.method == "POST":
            parameters.append(ETAG)
            parameters.append(LOCATION)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS_ANY)
        if self.method == "GET":
            errors.update(ERRORS_READ)
            errors.update(ERRORS_DETAIL if self._is_detail() else ERRORS_LIST)
            responses.setdefault("304", self._get_response_for_code(None, "304", direction=direction))
            responses["304"]["description"] = "Not Modified: the If-None-Match ETag is current."
        else:
            errors.update(ERRORS_WRITE)
            if self.method in ("PUT", "PATCH", "DELETE"):
                errors.update(ERRORS_CHANGE)
        # Refused by the HTTP server (gunicorn's limit_request_line, or the proxy's) before the app
        # sees the request, so no problem+json is promised: whatever that server sends.
        responses.setdefault("414", self._get_response_for_code(None, "414", direction=direction))
        responses["414"]["description"] = "URI Too Long: the request line is over the HTTP server's limit."
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    _problem(description), code, media_types=[MEDIA_TYPE], direction=direction
                )
        return dict(sorted(responses.items()))


def selectable_fields(result, generator, request, public):
    """A read that takes ``?fields=`` answers with the named fields only, so its 200 body is documented as
    a copy of the resource's component without ``required`` (``RoleSelection``); writes keep the full one.

    drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
    """
    schemas = result["components"]["schemas"]
    for path_item in result["paths"].values():
        read = path_item.get("get")
        if not read or FIELDS_PARAM not in {parameter["name"] for parameter in read.get("parameters", [])}:
            continue
        for media in read["responses"]["200"]["content"].values():
            media["schema"] = _selection(media["schema"], schemas)
    return result


SELECTION = "Selection"


def _selection(schema: dict, schemas: dict) -> dict:
    name = schema["$ref"].rsplit("/", 1)[1]
    if name.endswith(SELECTION):
        return schema
    if name.startswith("Paginated"):  # a list's page: its own component, whose rows are selections
        rows = schemas[name]["properties"]["results"]
        rows["items"] = _selection(rows["items"], schemas)
        return schema
    selection = f"{name}{SELECTION}"
    if selection not in schemas:
        schemas[selection] = {key: value for key, value in schemas[name].items() if key != "required"}
        schemas[selection]["description"] = (
            f"{name} as read: with `?fields=`, only the fields it names; without it, every field."
        )
    return {"$ref": f"#/components/schemas/{selection}"}
