"""Creating a role and editing its description: the role in both languages with its titles, and its rows."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knowledge import drafting
from knowledge.conflicts import merge_stale, save_merging
from knowledge.forms import MISSING_VERSION, apply_errors
from knowledge.services import ChildChange, StaleEdit
from knowledge.templatetags.page_messages import ROW_MESSAGE
from roles.editing import role_for
from roles.forms import RoleCreateForm, RoleForm, RoleTitleFormSet
from roles.models import Role
from roles.services import role_save

from ..parts import ITEM_KINDS


def _bound_data(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@login_required
def role_create(request):
    if not request.user.has_perms(("roles.add_role", "roles.add_roletitle")):
        raise PermissionDenied
    form = RoleCreateForm(data=_bound_data(request))
    titles = RoleTitleFormSet(data=_bound_data(request), instance=Role(), prefix="titles")
    if request.method == "POST" and form.is_valid() and titles.is_valid():
        try:
            role = role_save(
                role=None,
                data=form.model_data(),
                expected_version=None,
                titles=_title_changes(titles),
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Created the role “%(role)s”.") % {"role": role.title})
            return redirect("descriptions:edit", slug=role.slug)
    return render(request, "descriptions/role_form.html", {"form": form, "titles": titles, "role": None})


@require_http_methods(["GET", "POST"])
@login_required
def role_edit(request, slug):
    role = role_for(
        request, slug, "roles.change_role", "roles.add_roletitle", "roles.change_roletitle", "roles.delete_roletitle"
    )
    # While review is required the editor edits the role's draft: the form shows what it proposes.
    role = drafting.overlay(role)
    form = RoleForm(data=_bound_data(request), instance=role)
    titles = _titles_formset(_bound_data(request), role)
    conflict = None
    if request.method == "POST" and form.is_valid() and titles.is_valid():

        def save(instance, data, version):
            return role_save(
                role=instance, data=data, expected_version=version, titles=title_changes, user=request.user
            )

        try:
            title_changes = _title_changes(titles)
            role, merged = save_merging(form, role, save)
        except StaleEdit as stale:
            form, titles, conflict = _role_conflict(request, role, form, titles, stale.current)
        except ObjectDoesNotExist:
            messages.error(request, _("A title you changed was deleted by someone else in the meantime."))
            titles = _titles_formset(_bound_data(request), role)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if merged:
                text = _("Saved the role “%(role)s”, together with someone else's changes to other fields meanwhile.")
            else:
                text = _("Saved the role “%(role)s”.")
            messages.success(request, text % {"role": role.title})
            return redirect("descriptions:edit", slug=role.slug)
    sections = _sections(role, _row_messages(request))
    context = {"form": form, "titles": titles, "role": role, "conflict": conflict, "sections": sections}
    return render(request, "descriptions/role_form.html", context)


def _row_messages(request) -> dict[str, list]:
    """Messages meant to sit next to a row (row anchor -> messages); the page header leaves them out."""
    placed: dict[str, list] = {}
    for message in messages.get_messages(request):
        for tag in message.extra_tags.split():
            if tag.startswith(ROW_MESSAGE):
                placed.setdefault(tag.removeprefix(ROW_MESSAGE), []).append(message)
    return placed


def _titles_formset(data, role):
    titles = RoleTitleFormSet(data=data, instance=role, prefix="titles")
    titles._queryset = [drafting.overlay(title) for title in titles.get_queryset()]  # type: ignore[attr-defined]
    return titles


def _sections(role, row_messages=None):
    """Each editable kind with the role's rows (as drafted), grouped as the role page groups them.

    Each row carries its ``anchor`` and the ``row_messages`` (a save's confirmation) meant for it.
    """
    sections = []
    for kind in ITEM_KINDS:
        items = [drafting.overlay(item) for item in kind.queryset(role)]
        for item in items:
            item.anchor = kind.row_anchor(item)
            item.row_messages = (row_messages or {}).get(item.anchor, [])
        if group_by := kind.group_by:
            label = group_by.removesuffix("_id")
            groups = [
                (getattr(group[0], label), group)
                for _, g in groupby(items, key=lambda i: getattr(i, group_by))
                if (group := list(g))
            ]
        else:
            groups = [(None, items)] if items else []
        sections.append((kind, groups))
    return sections


def _title_changes(titles) -> list[ChildChange]:
    result = []
    for title_form in titles.forms:
        instance = title_form.instance if title_form.instance.pk is not None else None
        if titles.can_delete and titles._should_delete_form(title_form):
            if instance is not None:
                # A deleted row's form is not validated, so its version is checked here.
                version = title_form.cleaned_data.get("version")
                if version is None:
                    raise ValidationError(MISSING_VERSION)
                result.append(ChildChange(instance, {}, version, delete=True))
        elif title_form.has_changed():
            result.append(ChildChange(instance, title_form.model_data(), title_form.expected_version()))
    return result


def _role_conflict(request, role, form, titles, current):
    """Re-show the user's input after a stale save, with the newer saved values beside it."""
    data = request.POST.copy()
    if isinstance(current, Role):
        conflict = merge_stale(form, current, data)
        role = current
    else:
        title_form = next(f for f in titles.forms if f.instance.pk == current.pk)
        conflict = merge_stale(title_form, current, data)
    form = RoleForm(data=data, instance=role)
    titles = _titles_formset(data, role)
    return form, titles, conflict
