"""The building blocks every writable API resource shares.

- ``ContentViewSet``: reads with ETags and conditional GET, writes through
  ``knowledge.services`` with the optimistic-concurrency rule of the edit pages:
  a write names the version it changes, by ``If-Match`` (stale → 412) or by the
  ``version`` field in the body (stale → 409); naming neither → 428.
- ``StrictSerializerMixin``: unknown fields in a request body are an error, not silently dropped.
- ``?fields=a,b`` trims a response to the named fields.
"""

import copy
import hashlib
import json
import re
from collections.abc import Mapping

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from . import drafting, services, timestamps
from .languages import active_language, column, per_language, translated_fields
from .problems import Conflict, PreconditionFailed, PreconditionRequired

# The query parameter that picks the fields of a read (documented by knowledge.schema).
FIELDS_PARAM = "fields"

_ETAG_VERSION = re.compile(r'^(?:W/)?"(\d+)\.[0-9a-f]+"$')


def body_digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()[:20]


def make_etag(data, version: int | None = None) -> str:
    """A strong ETag: the row version (what If-Match is checked against) plus a digest of the body.

    The digest makes the tag differ between languages, field selections and nested changes;
    the version lets a write name the row version it was based on.
    """
    digest = body_digest(data)
    return f'"{version}.{digest}"' if version is not None else f'"{digest}"'


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [tag.strip() for tag in header.split(",")]
    plain = etag.removeprefix("W/")
    return "*" in candidates or any(tag.removeprefix("W/") == plain for tag in candidates)


def if_match_versions(header: str) -> list[int] | None:
    """The row versions an If-Match header names; None for ``*`` (any version)."""
    versions = []
    for tag in (part.strip() for part in header.split(",")):
        if tag == "*":
            return None
        match = _ETAG_VERSION.match(tag)
        if match:
            versions.append(int(match.group(1)))
    return versions


def conditional(request, response: Response, *, version: int | None = None, etag: str | None = None) -> Response:
    """Tag a 200 response; answer 304 when the client's If-None-Match already names it.

    ``etag``: the tag ``make_etag`` gave the same body before (a body kept between requests).
    """
    etag = etag or make_etag(response.data, version)
    if etag_matches(request.headers.get("If-None-Match"), etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response["ETag"] = etag
    return response


def to_columns(model, data: Mapping) -> dict:
    """Write a plain translatable field (``title``) to the active language's column (``title_nb``).

    Sending both with different values is refused rather than guessing which one was meant.
    """
    language = active_language()
    data = dict(data)
    for name in translated_fields(model):
        if name in data:
            value = data.pop(name)
            explicit = column(name, language)
            if explicit in data and data[explicit] != value:
                raise serializers.ValidationError(
                    {
                        name: [
                            _("“%(name)s” and “%(explicit)s” are the same text here; send one of them.")
                            % {"name": name, "explicit": explicit}
                        ]
                    }
                )
            data[explicit] = value
    return data


class StrictSerializerMixin:
    """Refuse request bodies that carry fields the resource does not have (typos would otherwise be lost).

    The plain name of a translatable field is optional: a client may send it, or the per-language ones.

    A class's fields are built from its model once, then copied for each serializer: they depend on
    the class alone, and building them (ModelSerializer looks at every model field's options) was
    a quarter of a role detail's time. The copies are DRF's own (``Field.__deepcopy__`` builds each
    field afresh from its arguments, as it does for declared fields), so no request shares one.
    """

    def get_fields(self):
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = type(self)._built_fields = super().get_fields()
        fields = copy.deepcopy(built)
        # After the copy: a field is copied from the arguments it was built with, not its later state.
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name in translated_fields(model) if model else ():
            if name in fields and not fields[name].read_only:
                fields[name].required = False
        return fields

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
            # Relations are looked up by slug before field validators run; PostgreSQL rejects NUL in a lookup.
            with_nul = sorted(name for name, value in data.items() if isinstance(value, str) and "\x00" in value)
            if with_nul:
                raise serializers.ValidationError({name: [_("Null characters are not allowed.")] for name in with_nul})
        return super().to_internal_value(data)


class VersionField(serializers.IntegerField):
    """The row version: read it, and send it back with a change instead of an If-Match header."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "Row version, bumped by every change. When changing or deleting without an If-Match header, "
            "send the version you read; a stale one gets 409.",
        )
        super().__init__(**kwargs)


class ContentViewSet(viewsets.ModelViewSet):
    """A knowledge-base resource: conditional reads, versioned writes through the services."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # A row of the shipped knowledge base, the schema's example for the path (docs, and fuzzers start there).
    lookup_example: int | str = 1
    search_fields: tuple[str, ...] = ()
    ordering_fields: tuple[str, ...] = ()

    # Reads ---------------------------------------------------------------------------------

    def get_queryset(self):
        queryset = super().get_queryset()
        # Reads carry each row's created_at/updated_at from its history; a written row reads its own.
        return (
            timestamps.annotate(queryset)
            if self.request is None or self.request.method in ("GET", "HEAD")
            else queryset
        )

    def get_serializer_class(self):
        return timestamps.with_timestamps(super().get_serializer_class())

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        wanted = self.selected_fields()
        if wanted:
            target = serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer
            for name in list(target.fields):
                if name not in wanted:
                    target.fields.pop(name)
        return serializer

    def selected_fields(self) -> set[str] | None:
        if self.request is None or self.request.method not in ("GET", "HEAD"):
            return None
        raw = self.request.query_params.get(FIELDS_PARAM, "")
        wanted = {name.strip() for name in raw.split(",") if name.strip()}
        if not wanted:
            return None
        known = set(self.get_serializer_class()().fields)
        unknown = sorted(wanted - known)
        if unknown:
            raise exceptions.ValidationError(
                {FIELDS_PARAM: [_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}]}
            )
        return wanted

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return self.conditional(Response(data), version=instance.version)

    def list(self, request, *args, **kwargs):
        return self.conditional(super().list(request, *args, **kwargs))

    def conditional(self, response: Response, *, version: int | None = None) -> Response:
        return conditional(self.request, response, version=version)

    # Writes --------------------------------------------------------------------------------

    def expected_version(self, body_version: int | None, instance) -> tuple[int | None, str]:
        """The version the client says it changes, and where it said so (``header`` or ``body``).

        ``If-Match: *`` asks only that the resource exists, so it names no version (None): a write
        that races another one still succeeds, and one racing a delete gets 404.
        """
        header = self.request.headers.get("If-Match")
        if header:
            versions = if_match_versions(header)
            if versions is None:
                return None, "header"
            if not versions:
                raise PreconditionFailed(_("If-Match names no ETag of this resource."))
            return (instance.version if instance.version in versions else versions[0]), "header"
        if body_version is not None:
            return body_version, "body"
        raise PreconditionRequired()

    def _stale(self, error: services.StaleEdit, where: str):
        exc = PreconditionFailed(str(error)) if where == "header" else Conflict(str(error))
        exc.problem_extra = {"current_version": error.current.version}
        return exc

    def perform_create(self, serializer):
        model = serializer.Meta.model
        data = to_columns(model, serializer.validated_data)
        data.pop("version", None)
        # Languages the client left out are empty text, as in the shipped knowledge base (not NULL).
        for name in translated_fields(model):
            for language_column in per_language(name):
                data.setdefault(language_column, "")
        self._result(
            serializer,
            drafting.propose_create(
                model=model, data=data, user=self.request.user, reason=_("Created through the API")
            ),
        )

    def _result(self, serializer, written) -> None:
        """The row as written, or — while review is required — the draft the change went into."""
        self.drafted = written if isinstance(written, drafting.Drafted) else None
        if self.drafted is None:
            serializer.instance = written

    def perform_update(self, serializer):
        data = to_columns(serializer.Meta.model, serializer.validated_data)
        expected, where = self.expected_version(data.pop("version", None), serializer.instance)
        try:
            written = drafting.propose_update(
                instance=drafting.overlay(serializer.instance),
                data=data,
                user=self.request.user,
                expected_version=expected,
                reason=_("Changed through the API"),
            )
            self._result(serializer, written)
        except services.StaleEdit as error:
            raise self._stale(error, where) from error

    def delete_version(self, instance) -> tuple[int | None, str]:
        """The version a DELETE expects (If-Match, or ``version`` in a body) and where it came from."""
        body_version = None
        if isinstance(self.request.data, Mapping) and "version" in self.request.data:
            body_version = VersionField().run_validation(self.request.data["version"])
        return self.expected_version(body_version, instance)

    def perform_destroy(self, instance):
        expected, where = self.delete_version(instance)
        try:
            self.drafted = drafting.propose_delete(
                instance=drafting.overlay(instance),
                user=self.request.user,
                expected_version=expected,
                reason=_("Deleted through the API"),
            )
        except services.StaleEdit as error:
            raise self._stale(error, where) from error

    # While review is required a write to a role's description is recorded in its draft: 202 and the draft.
    drafted: drafting.Drafted | None = None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        if self.drafted is not None:
            return self._drafted_response()
        response = Response(serializer.data, status=status.HTTP_201_CREATED)
        response["Location"] = self.detail_url(serializer.instance)
        return self._tagged(response)

    def detail_url(self, instance) -> str:
        """The absolute API address of ``instance`` (the ``Location`` of a 201)."""
        lookup = self.lookup_url_kwarg or self.lookup_field or "pk"
        namespace = self.request.resolver_match.namespace if self.request.resolver_match else "api"
        name = f"{namespace}:{self.basename}-detail"
        return self.request.build_absolute_uri(reverse(name, kwargs={lookup: getattr(instance, self.lookup_field)}))

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        if self.drafted is not None:
            return self._drafted_response()
        return self._tagged(Response(serializer.data))

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        if self.drafted is not None:
            return self._drafted_response()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _drafted_response(self) -> Response:
        assert self.drafted is not None  # noqa: S101  # only called after a drafted write
        summary = dict(self.drafted.summary)
        etag = summary.pop("etag", None)
        response = Response(summary, status=status.HTTP_202_ACCEPTED)
        if etag:
            response["ETag"] = etag
        return response

    def _tagged(self, response: Response) -> Response:
        """The answer to a write, tagged with the ETag of the row as written (the next If-Match)."""
        response["ETag"] = make_etag(response.data, response.data.get("version"))
        return response


def download(request, body: bytes, *, content_type: str, filename: str | None = None) -> HttpResponse:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
