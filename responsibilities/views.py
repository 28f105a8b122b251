"""The responsibility matrix page and its cells: read by everyone, set in place by editors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from knowledge.access import kb_read_required
from knowledge.conflicts import merge_stale
from knowledge.forms import apply_errors
from knowledge.services import StaleEdit
from roles.models import Role

from . import matrix as raci, services
from .forms import ActivityCreateForm, CellForm, HandOverForm, QuickCellForm
from .matrix import LETTER_ORDER
from .models import Activity, Assignment, Letter

PAGE_SIZE = 25
CHANGE_PERM = "responsibilities.change_assignment"


def _legend():
    return [(letter, Letter(letter).label) for letter in LETTER_ORDER]


@require_safe
@kb_read_required
def matrix(request):
    category_slug, role_slug = request.GET.get("category", ""), request.GET.get("role", "")
    categories, roles = raci.filter_choices()
    try:
        category, role = raci.filter_values(category_slug, role_slug)
    except raci.UnknownFilter as unknown:
        category = role = None
        errors = unknown.errors
    else:
        errors = {}
    table = raci.matrix_page(raci.activities(category, role), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "matrix": table,
        "page_obj": table.page,
        "categories": categories,
        "roles": roles,
        "selected_category": category_slug,
        "selected_role": role_slug,
        "filter_errors": errors,
        "filter_query": query.urlencode(),
        "legend": _legend(),
        "can_edit": request.user.has_perm(CHANGE_PERM),
        "letters": Letter.choices,
        "next_url": request.get_full_path(),
    }
    return render(request, "responsibilities/matrix.html", context, status=400 if errors else 200)


def _cell_parts(activity_slug: str, role_slug: str) -> tuple[Activity, Role, Assignment | None]:
    activity: Activity = get_object_or_404(Activity.objects.select_related("category"), slug=activity_slug)
    role = get_object_or_404(Role, slug=role_slug)
    cell = Assignment.objects.select_related("duty", "source").filter(activity=activity, role=role).first()
    return activity, role, cell


def _back_to(request, activity: Activity) -> str:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("responsibilities:matrix")
    return f"{target.split('#')[0]}#activity-{activity.slug}"


@require_http_methods(["GET", "POST"])
@kb_read_required
def cell(request, activity_slug, role_slug):
    """A cell on its own: the letter, the duty and the citation; editors change all of it here."""
    activity, role, current = _cell_parts(activity_slug, role_slug)
    can_edit = request.user.has_perm(CHANGE_PERM)
    if request.method == "POST" and not can_edit:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    instance = current or Assignment(activity=activity, role=role)
    form = CellForm(request.POST if request.method == "POST" else None, instance=instance, role=role)
    conflict = None
    if request.method == "POST" and form.is_valid():
        change = services.CellChange(role=role, data=form.cell_data(), expected_version=form.expected_version())
        try:
            services.activity_update(activity=activity, cells=[change], user=request.user)
        except Activity.DoesNotExist as gone:  # deleted while the user looked at it
            raise Http404 from gone
        except StaleEdit as stale:
            data = request.POST.copy()
            conflict = merge_stale(form, stale.current, data)
            form = CellForm(data, instance=stale.current, role=role)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Saved the part of %(role)s in “%(activity)s”.") % {"role": role, "activity": activity}
            )
            return HttpResponseRedirect(_back_to(request, activity))
    context = {
        "activity": activity,
        "role": role,
        "cell": current,
        "form": form,
        "conflict": conflict,
        "can_edit": can_edit,
        "legend": _legend(),
        "next_url": request.POST.get("next") or request.GET.get("next") or "",
        "hand_over": _hand_over_form(activity, role, current) if can_edit else None,
    }
    return render(request, "responsibilities/cell.html", context, status=409 if conflict else 200)


@require_POST
@login_required
def cell_set(request, activity_slug, role_slug):
    """The matrix's in-place control: set, change or clear one letter, then back to the same row."""
    if not request.user.has_perm(CHANGE_PERM):
        raise PermissionDenied
    activity, role, _current = _cell_parts(activity_slug, role_slug)
    form = QuickCellForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose a letter for %(role)s in “%(activity)s”.") % {"role": role, "activity": activity}
        )
        return HttpResponseRedirect(_back_to(request, activity))
    letter = form.cleaned_data["letter"]
    change = services.CellChange(
        role=role, data={"letter": letter} if letter else None, expected_version=form.cleaned_data["version"]
    )
    try:
        services.activity_update(activity=activity, cells=[change], user=request.user)
    except Activity.DoesNotExist as gone:
        raise Http404 from gone
    except StaleEdit as stale:
        messages.error(request, str(stale) + " " + _("The matrix now shows the saved letter; set it again if needed."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        shown = letter or "—"
        messages.success(
            request,
            _("%(role)s in “%(activity)s”: %(letter)s.") % {"role": role, "activity": activity, "letter": shown},
        )
    return HttpResponseRedirect(_back_to(request, activity))


def _accountable_now(activity: Activity) -> Assignment | None:
    return activity.assignments.select_related("role").filter(letter=Letter.ACCOUNTABLE).first()


def _hand_over_form(activity: Activity, role: Role, current: Assignment | None) -> dict | None:
    """The form that moves the A to ``role``, with the role that holds it now; None when ``role`` holds it."""
    holder = _accountable_now(activity)
    if holder is None or holder.role_id == role.pk:
        return None
    initial = {"version": current.version if current else services.NEW_CELL, "accountable_version": holder.version}
    return {"form": HandOverForm(initial=initial), "holder": holder}


@require_POST
@login_required
def cell_accountable(request, activity_slug, role_slug):
    """Move the activity's A to this role in one save; the role accountable now takes the letter chosen."""
    if not request.user.has_perm(CHANGE_PERM):
        raise PermissionDenied
    activity, role, _current = _cell_parts(activity_slug, role_slug)
    holder = _accountable_now(activity)
    form = HandOverForm(request.POST)
    if holder is None or holder.role_id == role.pk or not form.is_valid():
        messages.error(request, _("Nothing was changed: reload the page and try again."))
        return HttpResponseRedirect(reverse("responsibilities:cell", args=[activity.slug, role.slug]))
    becomes = form.cleaned_data["becomes"]
    changes = [
        services.CellChange(
            role=role, data={"letter": Letter.ACCOUNTABLE}, expected_version=form.cleaned_data["version"]
        ),
        services.CellChange(
            role=holder.role,
            data={"letter": becomes} if becomes else None,
            expected_version=form.cleaned_data["accountable_version"],
        ),
    ]
    try:
        services.activity_update(activity=activity, cells=changes, user=request.user)
    except StaleEdit as stale:
        messages.error(request, str(stale))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(role)s is now accountable for “%(activity)s”.") % {"role": role, "activity": activity},
        )
        return HttpResponseRedirect(_back_to(request, activity))
    return HttpResponseRedirect(reverse("responsibilities:cell", args=[activity.slug, role.slug]))


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request):
    """A new activity (a row of the matrix) with its accountable and responsible roles."""
    if not request.user.has_perms(("responsibilities.add_activity", "responsibilities.add_assignment")):
        raise PermissionDenied
    form = ActivityCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(data=form.model_data(), cells=form.cells(), user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added the activity “%(activity)s”.") % {"activity": activity})
            target = f"{reverse('responsibilities:matrix')}?category={activity.category.slug}"
            return HttpResponseRedirect(f"{target}#activity-{activity.slug}")
    return render(request, "responsibilities/activity_form.html", {"form": form})
