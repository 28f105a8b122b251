"""Adding, changing, deleting and moving one of a role's rows: one set of views for every ``ItemKind``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knowledge import services
from knowledge.conflicts import Conflict, merge_stale
from knowledge.forms import apply_errors, posted_version

from ..editing import ItemKind, role_for
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
        item = services.content_create(model=kind.model, data=data, user=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("Added “%(item)s”.") % {"item": item})
    return redirect(_next_page(request) or kind.edit_page_url(role))


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, slug, pk, kind: ItemKind):
    role = role_for(request, slug, kind.perm("change"))
    item = kind.queryset(role).filter(pk=pk).first()
    if item is None:
        return _item_gone(request, role, kind)
    form = kind.form(role, data=_bound_data(request), instance=item)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.content_update(
                instance=item, data=form.model_data(), user=request.user, expected_version=form.expected_version()
            )
        except services.StaleEdit as stale:
            data = request.POST.copy()
            conflict = merge_stale(form, stale.current, data)
            form = kind.form(role, data=data, instance=stale.current)
        except ObjectDoesNotExist:
            return _item_gone(request, role, kind)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved “%(item)s”.") % {"item": item})
            return redirect(kind.edit_page_url(role))
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
    item = _item_for(role, kind, pk)
    conflict = None
    if request.method == "POST":
        try:
            services.content_delete(instance=item, user=request.user, expected_version=posted_version(request))
        except services.StaleEdit as stale:
            item = stale.current
            conflict = Conflict(current=stale.current, rows=[])
        except ObjectDoesNotExist:
            messages.info(request, _("“%(item)s” had already been deleted.") % {"item": item})
            return redirect(kind.edit_page_url(role))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted “%(item)s”. You can restore it from the history.") % {"item": item})
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
