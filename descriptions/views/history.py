"""A role's history across all its rows, and reverting or restoring a row from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from governance.services import is_approver, review_required
from knowledge import changes, services
from knowledge.forms import posted_version
from roles.editing import role_for
from roles.models import Role

from ..parts import HISTORY_TRACKS, history_track


@require_safe
@login_required
def role_history(request, slug):
    """Every change to the role and its rows. Signed-in users only: it names the people who made each change."""
    role = get_object_or_404(Role, slug=slug)
    page, entries = changes.history_page(HISTORY_TRACKS, role.pk, request.GET.get("page"))
    user = request.user
    for entry in entries:
        entry.may_revert = entry.can_be_reverted and user.has_perm(_perm(entry.track.model, "change"))
        entry.may_restore = entry.can_be_restored and user.has_perm(_perm(entry.track.model, "add"))
    return render(request, "descriptions/role_history.html", {"role": role, "page": page, "entries": entries})


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _history_record_for(request, slug, track_key, history_id, action):
    track = history_track(track_key)
    if track is None:
        raise Http404
    role = role_for(request, slug, _perm(track.model, action))
    if review_required() and not is_approver(request.user):
        # A revert or restore writes the published rows at once: while review is required, only approvers may.
        raise PermissionDenied
    record = get_object_or_404(track.model.history.filter(track.owner_filter(role.pk)), history_id=history_id)
    return role, record


@require_http_methods(["GET", "POST"])
@login_required
def history_revert(request, slug, track, history_id):
    """GET: what reverting would change, with a button to confirm; POST: revert."""
    role, record = _history_record_for(request, slug, track, history_id, "change")
    if request.method == "GET":
        entry, preview = changes.revert_preview(history_track(track), record)
        if not entry.can_be_reverted:
            messages.info(request, _("There is nothing to revert: this is the current version, or the item is gone."))
            return redirect("descriptions:history", slug=role.slug)
        context = {"role": role, "entry": entry, "changes": preview}
        return render(request, "descriptions/history_revert_confirm.html", context)
    try:
        item = services.history_revert(record=record, user=request.user, expected_version=posted_version(request))
    except services.StaleEdit:
        messages.error(request, _("This item changed again since you loaded the history. Check the newest entries."))
    except ObjectDoesNotExist:
        messages.error(request, _("This item no longer exists; restore it from its deletion entry instead."))
    except ValidationError as error:
        messages.error(request, _("Could not revert: %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(request, _("Reverted “%(item)s” to the chosen version.") % {"item": item})
    return redirect("descriptions:history", slug=role.slug)


@require_POST
@login_required
def history_restore(request, slug, track, history_id):
    role, record = _history_record_for(request, slug, track, history_id, "add")
    if record.history_type != "-":
        messages.error(request, _("Only a deletion can be restored."))
        return redirect("descriptions:history", slug=role.slug)
    try:
        item = services.history_restore(record=record, user=request.user)
    except ValidationError as error:
        messages.error(request, _("Could not restore: %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(request, _("Restored “%(item)s”.") % {"item": item})
    return redirect("descriptions:history", slug=role.slug)
