"""Creating a role and editing its description: the role in both languages with its titles, and its rows."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knowledge import drafting
from knowledge.conflicts import merge_stale
from knowledge.forms import MISSING_VERSION, apply_errors
from knowledge.services import ChildChange, StaleEdit
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
        try:
            role = role_save(
                role=role,
                data=form.model_data(),
                expected_version=form.expected_version(),
                titles=_title_changes(titles),
                user=request.user,
            )
        except StaleEdit as stale:
            form, titles, conflict = _role_conflict(request, role, form, titles, stale.current)
        except ObjectDoesNotExist:
            messages.error(request, _("A title you changed was deleted by someone else in the meantime."))
            titles = _titles_formset(_bound_data(request), role)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the role “%(role)s”.") % {"role": role.title})
            return redirect("descriptions:edit", slug=role.slug)
    context = {"form": form, "titles": titles, "role": role, "conflict": conflict, "sections": _sections(role)}
    return render(request, "descriptions/role_form.html", context)


def _titles_formset(data, role):
    titles = RoleTitleFormSet(data=data, instance=role, prefix="titles")
    titles._queryset = [drafting.overlay(title) for title in titles.get_queryset()]  # type: ignore[attr-defined]
    return titles


def _sections(role):
    """Each editable kind with the role's rows, grouped as the role page groups them (duties by category)."""
    sections = []
    for kind in ITEM_KINDS:
        items = [drafting.overlay(item) for item in kind.queryset(role)]
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
