"""Drafts and their review: an editor's draft, what awaits review, the review itself and the sign-off."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from governance import diff, queries, services, snapshots
from governance.models import Draft
from knowledge.services import StaleEdit
from roles.models import Role

from ..sheet import role_sheet


def _can_edit(user) -> bool:
    return user.has_perm("roles.change_role")


def _role_for_editor(request, slug) -> Role:
    if not (_can_edit(request.user) or services.is_approver(request.user)):
        raise PermissionDenied
    return get_object_or_404(Role, slug=slug)


def _role_for_approver(request, slug) -> Role:
    if not services.is_approver(request.user):
        raise PermissionDenied
    return get_object_or_404(Role, slug=slug)


def draft_comparison(role: Role, draft: Draft):
    """The description as published, as the draft would make it, and what differs."""
    published = snapshots.snapshot(snapshots.load(role.pk))
    proposed = snapshots.with_draft(published, draft.operations)
    return published, proposed, diff.compare(published, proposed)


def sheet_context(request, snapshot: dict) -> dict:
    """The role page's variables for a description kept as a snapshot (a draft or a publication)."""
    context = role_sheet(snapshots.materialize(snapshot), request.LANGUAGE_CODE).context()
    return context | {"record": True, "raci_parts": [], "jsonld": "", "today": timezone.localdate()}


@require_safe
@login_required
def draft(request, slug):
    role = _role_for_editor(request, slug)
    current = queries.draft_of(role)
    if current is None:
        return render(request, "governance/draft_none.html", {"role": role})
    _published, proposed, differences = draft_comparison(role, current)
    context = sheet_context(request, proposed) | {
        "draft": current,
        "differences": differences,
        "operations": [(index, op, _describe(op)) for index, op in enumerate(current.operations)],
        "can_edit": _can_edit(request.user),
    }
    return render(request, "descriptions/role_detail.html", context)


def _describe(op: dict) -> str:
    from governance import changes

    return changes.describe(op)


def _posted_int(request, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _act(request, role: Role, action, success: str, target: str):
    """Run a workflow action on the role's draft; show the refusal or the success and go to ``target``."""
    current = queries.draft_of(role)
    if current is None:
        messages.error(request, _("This role has no draft (it was published or discarded in the meantime)."))
        return redirect(target, slug=role.slug)
    try:
        action(current, _posted_int(request, "draft_version"))
    except services.ReviewRefused as refused:
        messages.error(request, str(refused))
    except StaleEdit as stale:
        messages.error(
            request, _("The published description changed since the draft was made: %(error)s") % {"error": stale}
        )
    except ValidationError as error:
        messages.error(
            request, _("The draft cannot be published as it is: %(error)s") % {"error": " ".join(error.messages)}
        )
    else:
        messages.success(request, success)
    return redirect(target, slug=role.slug)


@require_POST
@login_required
def draft_submit(request, slug):
    role = _role_for_editor(request, slug)
    note = request.POST.get("note", "")[:2000]
    return _act(
        request,
        role,
        lambda d, v: services.draft_submit(draft=d, note=note, user=request.user, expected_version=v),
        _("Submitted the draft for review."),
        "descriptions:draft",
    )


@require_POST
@login_required
def draft_discard(request, slug):
    role = _role_for_editor(request, slug)
    index = _posted_int(request, "change")
    action: Callable
    if index is None:
        action = lambda d, v: services.draft_discard(draft=d, expected_version=v, user=request.user)  # noqa: E731
        success = _("Discarded the draft.")
    else:
        action = lambda d, v: services.draft_discard_change(  # noqa: E731
            draft=d, index=index, expected_version=v, user=request.user
        )
        success = _("Took the change out of the draft.")
    return _act(request, role, action, success, "descriptions:draft")


@require_safe
@login_required
def reviews(request):
    if not services.is_approver(request.user):
        raise PermissionDenied
    context = {
        "awaiting": list(queries.drafts_awaiting_review()),
        "in_progress": list(queries.drafts_in_progress()),
        "due": queries.roles_due(),
        "today": timezone.localdate(),
        "due_days": queries.DUE_SOON_DAYS,
    }
    return render(request, "governance/reviews.html", context)


@require_safe
@login_required
def review(request, slug):
    role = _role_for_approver(request, slug)
    current = queries.draft_of(role)
    context: dict[str, object] = {"role": role, "draft": current, "today": timezone.localdate()}
    if current is not None:
        context["differences"] = draft_comparison(role, current)[2]
        context["own"] = (
            current.author_id == request.user.pk or current.contributors.filter(pk=request.user.pk).exists()
        )
    return render(request, "governance/review.html", context)


@require_POST
@login_required
def publish(request, slug):
    role = _role_for_approver(request, slug)
    note = request.POST.get("note", "")[:2000]
    return _act(
        request,
        role,
        lambda d, v: services.draft_publish(draft=d, note=note, user=request.user, expected_version=v),
        _("Published. Everyone now sees the new version."),
        "descriptions:review",
    )


@require_POST
@login_required
def return_draft(request, slug):
    role = _role_for_approver(request, slug)
    comment = request.POST.get("comment", "")[:2000]
    return _act(
        request,
        role,
        lambda d, v: services.draft_return(draft=d, comment=comment, user=request.user, expected_version=v),
        _("Returned the draft to the editors with your comment."),
        "descriptions:review",
    )


@require_POST
@login_required
def sign_off(request, slug):
    role = _role_for_approver(request, slug)
    try:
        services.review_sign_off(
            role=role,
            note=request.POST.get("note", "")[:2000],
            user=request.user,
            expected_version=_posted_int(request, "version"),
        )
    except services.ReviewRefused as refused:
        messages.error(request, str(refused))
    except StaleEdit:
        messages.error(request, _("The role changed since you opened the page; look again before you sign off."))
    else:
        messages.success(request, _("Recorded the review: no change needed."))
    return redirect("descriptions:review", slug=role.slug)
