"""The review workflow in the API: a role's draft, submit/publish/return, publications and the review queue.

Every action names the draft it acts on by ``If-Match`` with the draft's ETag (from
``GET roles/<slug>/?state=draft``): a draft that changed since gets 412, none sent gets 428.
Every refusal is a problem (RFC 9457).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from governance import queries, services, snapshots
from governance.desk import draft_etag
from governance.models import Draft, Publication
from knowledge.apitools import conditional, if_match_versions
from knowledge.permissions import KnowledgeBasePermission
from knowledge.problems import MEDIA_TYPE, Conflict, PreconditionFailed, PreconditionRequired
from knowledge.schema import ProblemSerializer
from roles.models import Role

STATE_PARAM = OpenApiParameter(
    "state",
    enum=["published", "draft"],
    description="`draft` (editors and approvers): the role as its draft proposes it, with the draft's ETag.",
)


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ("number", "published_at", "approver_name", "author_name", "note", "self_approved")


class DraftSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ("role", "state", "version", "changes", "author", "note", "comment", "submitted_at", "updated_at")

    def get_changes(self, draft) -> int:
        return len(draft.operations)


NOTE_BODY = inline_serializer("ReviewNote", {"note": serializers.CharField(required=False, max_length=2000)})
COMMENT_BODY = inline_serializer("ReviewComment", {"comment": serializers.CharField(max_length=2000)})


def _problem(description: str):
    return OpenApiResponse(ProblemSerializer, description=description)


REFUSED = {
    (403, MEDIA_TYPE): _problem(
        "Not an editor (submit) or approver (publish, return), or an author approving their own draft."
    ),
    (404, MEDIA_TYPE): _problem("No such role."),
    (409, MEDIA_TYPE): _problem("No draft, nothing to publish, already submitted, or a change no longer applies."),
    (412, MEDIA_TYPE): _problem("The draft changed since the ETag in If-Match was read; nothing happened."),
    (428, MEDIA_TYPE): _problem("No If-Match with the draft's ETag was sent."),
}
STATUS = {"empty": 409, "state": 409, "self": 403, "rights": 403, "stale": 412}


def _refusal(refused: services.ReviewRefused) -> exceptions.APIException:
    code = STATUS.get(refused.code, 409)
    if code == 412:
        return PreconditionFailed(str(refused))
    if code == 403:
        return exceptions.PermissionDenied(str(refused))
    return Conflict(str(refused))


def _text(request, name: str) -> str:
    value = request.data.get(name, "") if hasattr(request.data, "get") else ""
    if not isinstance(value, str) or len(value) > 2000:
        raise exceptions.ValidationError({name: ["Send text of at most 2000 characters."]})
    return value


def _draft_version(request, draft: Draft) -> int:
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("Send If-Match with the draft's ETag (GET the role with ?state=draft).")
    versions = if_match_versions(header)
    if versions is None:
        return draft.version
    if not versions:
        raise PreconditionFailed("If-Match names no ETag of this draft.")
    return draft.version if draft.version in versions else versions[0]


class ReviewActionsMixin:
    """Added to the role resource: ``?state=draft`` and the workflow's actions."""

    def draft_response(self, request, role_slug: str):
        if not (request.user.has_perm("roles.change_role") or services.is_approver(request.user)):
            raise exceptions.PermissionDenied("Only editors and approvers may read drafts.")
        role = get_object_or_404(Role, slug=role_slug)
        draft = queries.draft_of(role)
        if draft is None:
            raise exceptions.NotFound("This role has no draft: it reads as published.")
        proposed = snapshots.with_draft(snapshots.snapshot(snapshots.load(role.pk)), draft.operations)
        data = dict(self.get_serializer(snapshots.materialize(proposed)).data)
        data["draft"] = DraftSerializer(draft).data
        response = Response(data)
        response["ETag"] = draft_etag(draft)
        response["Cache-Control"] = "private, no-store"
        return response

    def _act(self, request, slug, run):
        role = get_object_or_404(Role, slug=slug)
        draft = queries.draft_of(role)
        if draft is None:
            raise Conflict("This role has no draft.")
        try:
            return run(draft, _draft_version(request, draft))
        except services.ReviewRefused as refused:
            raise _refusal(refused) from refused
        except (services.StaleEdit, services.ValidationError) as error:
            raise Conflict(f"The draft cannot be published as it is: {error}") from error

    @extend_schema(
        summary="Submit the role's draft for review", request=NOTE_BODY, responses={200: DraftSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def submit(self, request, slug=None):
        if not request.user.has_perm("roles.change_role"):
            raise exceptions.PermissionDenied("Only editors may submit a draft.")
        note = _text(request, "note")
        draft = self._act(
            request, slug, lambda d, v: services.draft_submit(draft=d, note=note, user=request.user, expected_version=v)
        )
        return Response(DraftSerializer(draft).data)

    @extend_schema(
        summary="Publish the role's draft (approvers)",
        request=NOTE_BODY,
        responses={201: PublicationSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def publish(self, request, slug=None):
        note = _text(request, "note")
        publication = self._act(
            request,
            slug,
            lambda d, v: services.draft_publish(draft=d, note=note, user=request.user, expected_version=v),
        )
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Return the role's draft to its editors with a comment (approvers)",
        request=COMMENT_BODY,
        responses={200: DraftSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[permissions.IsAuthenticated])
    def return_draft(self, request, slug=None):
        comment = _text(request, "comment")
        draft = self._act(
            request,
            slug,
            lambda d, v: services.draft_return(draft=d, comment=comment, user=request.user, expected_version=v),
        )
        return Response(DraftSerializer(draft).data)

    @extend_schema(
        summary="The role's publications, newest first",
        responses=PublicationSerializer(many=True),
        parameters=[OpenApiParameter("fields", exclude=True)],
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[KnowledgeBasePermission],
        filter_backends=[],
        pagination_class=None,
    )
    def publications(self, request, slug=None):
        role = get_object_or_404(Role, slug=slug)
        data = PublicationSerializer(queries.publications_of(role), many=True).data
        return conditional(request, Response(data))

    @extend_schema(
        summary="One publication, with the role as it was published",
        responses=inline_serializer(
            "PublicationDetail",
            {
                "publication": PublicationSerializer(),
                "role": serializers.DictField(),
            },
        ),
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH), OpenApiParameter("fields", exclude=True)],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"publications/(?P<number>[0-9]{1,9})",
        permission_classes=[KnowledgeBasePermission],
        filter_backends=[],
        pagination_class=None,
    )
    def publication(self, request, slug=None, number=None):
        role = get_object_or_404(Role, slug=slug)
        found = queries.publication(role, int(number))
        if found is None:
            raise exceptions.NotFound("This role has no publication with that number.")
        as_published = self.get_serializer(snapshots.materialize(found.snapshot)).data
        return conditional(request, Response({"publication": PublicationSerializer(found).data, "role": as_published}))


class ReviewQueueSerializer(serializers.Serializer):
    awaiting = DraftSerializer(many=True, help_text="Drafts awaiting review, oldest first.")
    in_progress = DraftSerializer(many=True, help_text="Drafts being edited or returned.")
    due = serializers.ListField(
        child=serializers.DictField(), help_text="Roles due for review within 30 days or overdue."
    )


@extend_schema(
    summary="What awaits review (approvers)",
    responses={200: ReviewQueueSerializer, (403, MEDIA_TYPE): _problem("Not a member of the Approvers group.")},
)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def reviews(request):
    if not services.is_approver(request.user):
        raise exceptions.PermissionDenied("Only members of the Approvers group see the review queue.")
    due = [
        {"slug": role.slug, "title": role.title, "last_reviewed": role.last_reviewed, "review_due": role.review_due}
        for role in queries.roles_due()
    ]
    data = {
        "awaiting": DraftSerializer(queries.drafts_awaiting_review(), many=True).data,
        "in_progress": DraftSerializer(queries.drafts_in_progress(), many=True).data,
        "due": due,
    }
    response = Response(data)
    response["Cache-Control"] = "private, no-store"
    return response
