"""Adding, changing, deleting and moving one of a role's rows: one set of views for every ``ItemKind``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knowledge import drafting, services
from knowledge.conflicts import Conflict, merge_stale, save_merging
from knowledge.forms import apply_errors, posted_version

from ..editing import ItemKind, role_for, row_message_tag
from ..models import Role


def _item_for(role: Role, kind: ItemKind, pk: int):
    return get_object_or_404(kind.queryset(role), pk=pk)


def _bound_data(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@login_required
def item_add(request, slug, kind: ItemKind):
    role = role_for(request, slug, kind.perm("add"))
    form = kind.form(role, data=_bound_data(request), instance=kind.new_instance(role), initial=_cited(request))
    if request.method == "POST":
        response = _create_item(request, role, kind, form)
        if response is not None:
            return response
    context = {"role": role, "kind": kind, "form": form, "item": None, "next": _next_page(request)}
    return render(request, "roles/item_form.html", context)


def _cited(request) -> dict:
    """A new row's citation given in the address (``?source=<id>&excerpt=…``), as a source page's "Cite" sends it."""
    return {name: request.GET[name] for name in ("source", "excerpt") if request.GET.get(name)}


def _next_page(request) -> str | None:
    """Where to go after adding, when the page that sent the user here asked to be returned to (same site only)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def _create_item(request, role, kind, form):
    if not form.is_valid():
        return None
    data = {**kind.owner_data(role), **form.model_data()}
    if kind.positioned:
        data["position"] = services.next_position(kind.queryset(role))
    try:
        item = drafting.propose_create(model=kind.model, data=data, user=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    back = _next_page(request)
    if isinstance(item, drafting.Drafted):
        messages.success(request, _drafted_message(item, _("Added “%(item)s” to the draft of %(role)s.")))
        return redirect(back or kind.edit_page_url(role))
    if back:
        messages.success(request, _("Added “%(item)s”.") % {"item": item})
        return redirect(back)
    messages.success(request, _("Added “%(item)s”.") % {"item": item}, extra_tags=row_message_tag(kind, item))
    return redirect(kind.edit_page_url(role, item))


def _drafted_message(drafted: drafting.Drafted, text: str) -> str:
    return (
        text % {"item": drafted.instance, "role": drafted.owner}
        + " "
        + _("It is published when an approver publishes the draft.")
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, slug, pk, kind: ItemKind):
    role = role_for(request, slug, kind.perm("change"))
    item = kind.queryset(role).filter(pk=pk).first()
    if item is None:
        return _item_gone(request, role, kind)
    item = drafting.overlay(item)  # while review is required, the editor edits the draft
    form = kind.form(role, data=_bound_data(request), instance=item)
    conflict = None
    if request.method == "POST" and form.is_valid():

        def update(instance, data, version):
            return drafting.propose_update(instance=instance, data=data, user=request.user, expected_version=version)

        try:
            item, merged = save_merging(form, item, update)
        except services.StaleEdit as stale:
            data = request.POST.copy()
            conflict = merge_stale(form, stale.current, data)
            form = kind.form(role, data=data, instance=stale.current)
        except ObjectDoesNotExist:
            return _item_gone(request, role, kind)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if isinstance(item, drafting.Drafted):
                messages.success(request, _drafted_message(item, _("Saved “%(item)s” in the draft of %(role)s.")))
                return redirect(kind.edit_page_url(role, item.instance))
            if merged:
                text = _("Saved “%(item)s”, together with the changes someone else made to other fields meanwhile.")
            else:
                text = _("Saved “%(item)s”.")
            messages.success(request, text % {"item": item}, extra_tags=row_message_tag(kind, item))
            return redirect(kind.edit_page_url(role, item))
    context = {"role": role, "kind": kind, "form": form, "item": item, "conflict": conflict}
    return render(request, "roles/item_form.html", context)


def _item_gone(request, role, kind):
    """The row was deleted (perhaps while the user edited it): offer the input as a new row, nothing lost."""
    if request.method != "POST" or not request.user.has_perm(kind.perm("add")):
        raise Http404
    form = kind.form(role, data=request.POST, instance=kind.new_instance(role))
    form.is_valid()
    context = {"role": role, "kind": kind, "form": form, "item": None, "gone": True}
    return render(request, "roles/item_form.html", context, status=409)


@require_http_methods(["GET", "POST"])
@login_required
def item_delete(request, slug, pk, kind: ItemKind):
    role = role_for(request, slug, kind.perm("delete"))
    item = drafting.overlay(_item_for(role, kind, pk))
    conflict = None
    if request.method == "POST":
        try:
            drafted = drafting.propose_delete(
                instance=item, user=request.user, expected_version=posted_version(request)
            )
        except services.StaleEdit as stale:
            item = stale.current
            conflict = Conflict(current=stale.current, rows=[])
        except ObjectDoesNotExist:
            messages.info(request, _("“%(item)s” had already been deleted.") % {"item": item})
            return redirect(kind.edit_page_url(role))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if drafted is not None:
                text = _("Deleting “%(item)s” is now part of the draft of %(role)s.")
                messages.success(request, _drafted_message(drafted, text))
            else:
                text = _("Deleted “%(item)s”. You can restore it from the history.")
                messages.success(request, text % {"item": item})
            return redirect(kind.edit_page_url(role))
    context = {"role": role, "kind": kind, "item": item, "conflict": conflict}
    return render(request, "roles/item_confirm_delete.html", context)


@require_POST
@login_required
def item_move(request, slug, pk, kind: ItemKind):
    role = role_for(request, slug, kind.perm("change"))
    item = _item_for(role, kind, pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        messages.error(request, _("Choose whether to move the item up or down."))
        return redirect(kind.edit_page_url(role))
    if drafting.is_drafted(item):
        return _move_in_draft(request, role, kind, item, offset)
    try:
        moved = services.item_move(
            queryset=kind.queryset(role),
            instance=item,
            offset=offset,
            expected_version=posted_version(request),
            user=request.user,
            group_by=kind.group_by,
        )
    except services.StaleEdit:
        messages.error(request, _("The list changed since you loaded the page. Here is the current order; try again."))
    except ObjectDoesNotExist:
        messages.error(request, _("That item was deleted in the meantime."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if moved:
            messages.success(request, _("Moved “%(item)s”.") % {"item": item})
        else:
            messages.info(request, _("“%(item)s” is already at the end of its list.") % {"item": item})
    return redirect(kind.edit_page_url(role))


def _move_in_draft(request, role, kind, item, offset):
    """Move a row in the draft: the two rows trade positions there, as the draft lists them."""
    rows = sorted((drafting.overlay(row) for row in kind.queryset(role)), key=lambda row: (row.position, row.pk))
    if kind.group_by:
        rows = [row for row in rows if getattr(row, kind.group_by) == getattr(item, kind.group_by)]
    index = next((i for i, row in enumerate(rows) if row.pk == item.pk), None)
    if index is None or not 0 <= index + offset < len(rows):
        messages.info(request, _("“%(item)s” is already at the end of its list.") % {"item": item})
        return redirect(kind.edit_page_url(role))
    mine, other = rows[index], rows[index + offset]
    if mine.version != posted_version(request):
        messages.error(request, _("The list changed since you loaded the page. Here is the current order; try again."))
        return redirect(kind.edit_page_url(role))
    first, second = (
        (mine.position, other.position) if mine.position != other.position else (index + 1, index + 1 + offset)
    )
    with transaction.atomic():
        drafting.propose_update(
            instance=mine, data={"position": second}, user=request.user, expected_version=mine.version
        )
        drafted = drafting.propose_update(
            instance=other, data={"position": first}, user=request.user, expected_version=other.version
        )
    messages.success(request, _drafted_message(drafted, _("Moved “%(item)s” in the draft of %(role)s.")))
    return redirect(kind.edit_page_url(role))
