from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import changes, compare as compare_roles, documents, editing, isco, orgchart, queries, services
from .access import kb_read_required
from .conflicts import Conflict, merge_stale
from .editing import ItemKind
from .forms import RoleCreateForm, RoleForm, RoleTitleFormSet, apply_errors
from .jsonld import jsonld_script, role_occupation
from .models import Qualification, ReportingLine, Role

DIRECTORY_PAGE_SIZE = 60


@require_safe
@kb_read_required
def directory(request):
    # Paginated so a hospital group's thousands of roles stay usable, in one query per page.
    page = queries.directory_page(request.GET.get("page"), DIRECTORY_PAGE_SIZE)
    roles = page.roles
    levels = [(Role.Level(level).label, list(group)) for level, group in groupby(roles, key=lambda r: r.level)]
    return render(request, "roles/role_list.html", {"roles": roles, "levels": levels, "page_obj": page})


@require_safe
@kb_read_required
def detail(request, slug):
    role = queries.role_with_everything(slug)
    duties = list(role.duties.all())
    qualifications = list(role.qualifications.all())
    lines_up = list(role.lines_up.all())
    lines_down = list(role.lines_down.all())
    titles = list(role.titles.all())
    facts = list(role.facts.all())
    language = request.LANGUAGE_CODE
    # The role's own title and abbreviation are already in the heading; list only the other names.
    shown = {role.title.casefold(), (role.abbreviation or "").casefold()}
    context = {
        "role": role,
        "facts": facts,
        "occupations": isco.occupations(role.occupation_code_list),
        "titles": [t for t in titles if t.language == language and t.title.casefold() not in shown],
        "other_titles": [t for t in titles if t.language != language],
        "duty_count": len(duties),
        "duty_groups": [(category, list(group)) for category, group in groupby(duties, key=lambda d: d.category)],
        "required": [q for q in qualifications if q.requirement == Qualification.Requirement.REQUIRED],
        "preferred": [q for q in qualifications if q.requirement == Qualification.Requirement.PREFERRED],
        "reports_to": [line for line in lines_up if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_up": [line for line in lines_up if line.kind != ReportingLine.Kind.REPORTS_TO],
        "direct_reports": [line for line in lines_down if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_down": [line for line in lines_down if line.kind != ReportingLine.Kind.REPORTS_TO],
        "sources": queries.cited_sources([role], titles, facts, duties, qualifications, lines_up, lines_down),
        "jsonld": jsonld_script(role_occupation(role, url=request.build_absolute_uri(role.get_absolute_url()))),
    }
    return render(request, "roles/role_detail.html", context)


# Org chart ---------------------------------------------------------------------------------------


# Above this many roles the full chart leaves out the bottom level (each role there is counted,
# with a link to the focus view of its superior), so a hospital group's chart stays legible.
ORG_CHART_COLLAPSE_OVER = 150


def _org_chart(request, *, absolute_links: bool):
    """The laid-out chart and its text version, from two queries.

    ``?focus=<slug>`` narrows it to that role's neighbourhood (404 for an unknown slug); a large
    organisation's full chart is collapsed. Both are cut from the rows already fetched.
    """
    roles, lines = queries.org_chart_graph()
    by_id = {role.pk: role for role in roles}
    nodes = [orgchart.Node(id=role.pk, label=role.title, sublabel=role.abbreviation) for role in roles]
    edges = [orgchart.Edge(subordinate=sub, superior=sup, kind=kind) for sub, sup, kind in lines]
    focus_slug = request.GET.get("focus")
    focus = None
    if focus_slug is not None:
        focus = next((role for role in roles if role.slug == focus_slug), None)
        if focus is None:
            raise Http404(_("There is no role with that address."))
        shown = orgchart.neighbourhood(nodes, edges, focus.pk)
    else:
        shown = orgchart.collapse(nodes, edges, depth=1 if len(roles) > ORG_CHART_COLLAPSE_OVER else 0)
    chart = orgchart.layout(shown.nodes, shown.edges)

    def absolute(url):
        return request.build_absolute_uri(url) if absolute_links else url

    chart_url = reverse("roles:org-chart")

    def focus_url(role):
        return absolute(f"{chart_url}?{urlencode({'focus': role.slug})}")

    def more(role_id):
        hidden = [by_id[i] for i in shown.hidden.get(role_id, [])]
        if not hidden:
            return None
        clinicians = all(role.level == Role.Level.CLINICIAN for role in hidden)
        return {"count": len(hidden), "clinicians": clinicians, "url": focus_url(by_id[role_id])}

    boxes = []
    for box in chart.boxes:
        role = by_id[box.node.id]
        entry = {"box": box, "role": role, "url": absolute(role.get_absolute_url()), "focus": role == focus}
        entry["more"] = more(role.pk)
        if entry["more"]:
            entry["more"]["x"] = box.cx
            entry["more"]["y"] = box.bottom + 16
        boxes.append(entry)
    kinds = ReportingLine.Kind
    other_lines = {}
    for edge in shown.edges:
        if edge.kind != kinds.REPORTS_TO:
            other_lines.setdefault(edge.subordinate, []).append(
                (ReportingLine.SUBORDINATE_SIDE[edge.kind], by_id[edge.superior])
            )

    def item(entry):
        role = by_id[entry["node"].id]
        return {
            "role": role,
            "repeat": entry["repeat"],
            "focus": role == focus,
            "focus_url": focus_url(role),
            "more": None if entry["repeat"] else more(role.pk),
            "other_lines": other_lines.get(role.pk, []) if not entry["repeat"] else [],
            "children": [item(child) for child in entry["children"]],
        }

    legend_top = orgchart.Geometry().margin
    legend = [
        {"kind": kind, "label": label, "y": legend_top + i * 20, "style": ORG_CHART_LINE_STYLES[kind]}
        for i, (kind, label) in enumerate(kinds.choices)
    ]
    legend_height = legend_top + len(legend) * 20
    return {
        "chart": chart,
        "boxes": boxes,
        "routes": [{"route": r, "style": ORG_CHART_LINE_STYLES[r.edge.kind]} for r in chart.routes],
        "legend": legend,
        "legend_height": legend_height,
        # Room below the last row for a "+ N physicians" link.
        "svg_height": chart.height + legend_height + (16 if shown.hidden else 0),
        "svg_width": max(chart.width, 320),
        "tree": [item(entry) for entry in orgchart.tree(shown.nodes, shown.edges)],
        "role_count": len(roles),
        "shown_count": len(shown.nodes),
        "collapsed": bool(shown.hidden),
        "focus": focus,
        "line_count": len(lines),
    }


# Presentation attributes rather than CSS, so the downloaded .svg looks the same on its own.
ORG_CHART_LINE_STYLES = {
    ReportingLine.Kind.REPORTS_TO: {"stroke": "#1c2530", "width": "2", "dash": ""},
    ReportingLine.Kind.DOTTED: {"stroke": "#0b5c8a", "width": "2", "dash": "2 4"},
    ReportingLine.Kind.OVERSEES: {"stroke": "#8a4b00", "width": "2", "dash": "9 5"},
    ReportingLine.Kind.LIAISON: {"stroke": "#1e6b3a", "width": "2", "dash": "12 4 2 4"},
}


@require_safe
@kb_read_required
def org_chart(request):
    if request.GET.get("format") == "svg":
        return org_chart_svg(request)
    return render(request, "roles/role_org_chart.html", _org_chart(request, absolute_links=False))


@require_safe
@kb_read_required
def org_chart_svg(request):
    context = {**_org_chart(request, absolute_links=True), "standalone": True}
    response = render(request, "roles/_org_chart_svg.html", context, content_type="image/svg+xml; charset=utf-8")
    name = f"org-chart-{context['focus'].slug}" if context["focus"] else "org-chart"
    response["Content-Disposition"] = f'attachment; filename="{name}-{request.LANGUAGE_CODE}.svg"'
    return response


# Compare -----------------------------------------------------------------------------------------


@require_safe
@kb_read_required
def compare(request):
    choices = queries.role_choices()
    selection = compare_roles.parse_selection(request.GET.getlist("roles"), dict(choices))
    comparison = None
    if selection.valid:
        found = queries.roles_for_comparison(selection.slugs)
        comparison = compare_roles.build_comparison([found[slug] for slug in selection.slugs])
    # "Compare with…" on a role page arrives with that role ticked and nothing to complain about yet.
    ticked = selection.slugs or [slug for slug in request.GET.getlist("with") if slug in dict(choices)][:1]
    context = {
        "choices": choices,
        "selected": ticked,
        "errors": selection.errors,
        "comparison": comparison,
        "max_roles": compare_roles.MAX_ROLES,
    }
    return render(request, "roles/role_compare.html", context, status=400 if selection.errors else 200)


# PDF ---------------------------------------------------------------------------------------------


@require_safe
@kb_read_required
def pdf(request, slug):
    role = queries.role_with_everything(slug)
    pdf_bytes = documents.job_description_pdf(request, role)
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{role.slug}-{request.LANGUAGE_CODE}.pdf"'
    return response


# ---------------------------------------------------------------------------------------------
# Editing. Every view below fetches what it changes through _role_for / _item_for, which check
# the user's rights first, so no write view can forget the check.


def _role_for(request, slug: str, *perms: str) -> Role:
    """The role ``slug`` if the signed-in user holds ``perms``: 403 without them, 404 when there is no such role."""
    if not request.user.has_perms(perms):
        raise PermissionDenied
    return get_object_or_404(Role, slug=slug)


def _item_for(role: Role, kind: ItemKind, pk: int):
    return get_object_or_404(kind.queryset(role), pk=pk)


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
            role = services.role_save(
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
            return redirect("roles:edit", slug=role.slug)
    return render(request, "roles/role_form.html", {"form": form, "titles": titles, "role": None})


@require_http_methods(["GET", "POST"])
@login_required
def role_edit(request, slug):
    role = _role_for(
        request, slug, "roles.change_role", "roles.add_roletitle", "roles.change_roletitle", "roles.delete_roletitle"
    )
    form = RoleForm(data=_bound_data(request), instance=role)
    titles = RoleTitleFormSet(data=_bound_data(request), instance=role, prefix="titles")
    conflict = None
    if request.method == "POST" and form.is_valid() and titles.is_valid():
        try:
            role = services.role_save(
                role=role,
                data=form.model_data(),
                expected_version=form.expected_version(),
                titles=_title_changes(titles),
                user=request.user,
            )
        except services.StaleEdit as stale:
            form, titles, conflict = _role_conflict(request, role, form, titles, stale.current)
        except ObjectDoesNotExist:
            messages.error(request, _("A title you changed was deleted by someone else in the meantime."))
            titles = RoleTitleFormSet(data=_bound_data(request), instance=role, prefix="titles")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the role “%(role)s”.") % {"role": role.title})
            return redirect("roles:edit", slug=role.slug)
    context = {"form": form, "titles": titles, "role": role, "conflict": conflict, "sections": _sections(role)}
    return render(request, "roles/role_form.html", context)


def _sections(role):
    """Each editable kind with the role's rows, grouped as the role page groups them (duties by category)."""
    sections = []
    for kind in editing.kinds():
        items = list(kind.queryset(role))
        if kind.group_by:
            label = kind.group_by.removesuffix("_id")
            groups = [
                (getattr(group[0], label), group)
                for _, g in groupby(items, key=lambda i: getattr(i, kind.group_by))
                if (group := list(g))
            ]
        else:
            groups = [(None, items)] if items else []
        sections.append((kind, groups))
    return sections


def _title_changes(titles) -> list[services.ChildChange]:
    result = []
    for title_form in titles.forms:
        instance = title_form.instance if title_form.instance.pk is not None else None
        if titles.can_delete and titles._should_delete_form(title_form):
            if instance is not None:
                result.append(services.ChildChange(instance, {}, title_form.cleaned_data.get("version"), delete=True))
        elif title_form.has_changed():
            result.append(services.ChildChange(instance, title_form.model_data(), title_form.expected_version()))
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
    titles = RoleTitleFormSet(data=data, instance=role, prefix="titles")
    return form, titles, conflict


@require_http_methods(["GET", "POST"])
@login_required
def item_add(request, slug, kind: ItemKind):
    role = _role_for(request, slug, kind.perm("add"))
    form = kind.form(role, data=_bound_data(request), instance=kind.new_instance(role))
    if request.method == "POST":
        response = _create_item(request, role, kind, form)
        if response is not None:
            return response
    return render(request, "roles/item_form.html", {"role": role, "kind": kind, "form": form, "item": None})


def _create_item(request, role, kind, form):
    if not form.is_valid():
        return None
    data = {**kind.owner_data(role), **form.model_data()}
    if kind.positioned:
        data["position"] = queries.next_position(kind.queryset(role))
    try:
        item = services.content_create(model=kind.model, data=data, user=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("Added “%(item)s”.") % {"item": item})
    return redirect(kind.edit_page_url(role))


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, slug, pk, kind: ItemKind):
    role = _role_for(request, slug, kind.perm("change"))
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
    role = _role_for(request, slug, kind.perm("delete"))
    item = _item_for(role, kind, pk)
    conflict = None
    if request.method == "POST":
        try:
            services.content_delete(instance=item, user=request.user, expected_version=_posted_version(request))
        except services.StaleEdit as stale:
            item = stale.current
            conflict = Conflict(current=stale.current, rows=[])
        except ObjectDoesNotExist:
            messages.info(request, _("“%(item)s” had already been deleted.") % {"item": item})
            return redirect(kind.edit_page_url(role))
        else:
            messages.success(request, _("Deleted “%(item)s”. You can restore it from the history.") % {"item": item})
            return redirect(kind.edit_page_url(role))
    context = {"role": role, "kind": kind, "item": item, "conflict": conflict}
    return render(request, "roles/item_confirm_delete.html", context)


@require_POST
@login_required
def item_move(request, slug, pk, kind: ItemKind):
    role = _role_for(request, slug, kind.perm("change"))
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
            expected_version=_posted_version(request),
            user=request.user,
            group_by=kind.group_by,
        )
    except services.StaleEdit:
        messages.error(request, _("The list changed since you loaded the page. Here is the current order; try again."))
    except ObjectDoesNotExist:
        messages.error(request, _("That item was deleted in the meantime."))
    else:
        if moved:
            messages.success(request, _("Moved “%(item)s”.") % {"item": item})
        else:
            messages.info(request, _("“%(item)s” is already at the end of its list.") % {"item": item})
    return redirect(kind.edit_page_url(role))


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# History


@require_safe
@login_required
def role_history(request, slug):
    """Every change to the role and its rows. Signed-in users only: it names the people who made each change."""
    role = get_object_or_404(Role, slug=slug)
    page, entries = changes.role_history_page(role, request.GET.get("page"))
    user = request.user
    for entry in entries:
        entry.may_revert = entry.can_be_reverted and user.has_perm(_perm(entry.track.model, "change"))
        entry.may_restore = entry.can_be_restored and user.has_perm(_perm(entry.track.model, "add"))
    return render(request, "roles/role_history.html", {"role": role, "page": page, "entries": entries})


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _history_record_for(request, slug, track_key, history_id, action):
    track = editing.history_track(track_key)
    if track is None:
        raise Http404
    role = _role_for(request, slug, _perm(track.model, action))
    record = get_object_or_404(track.model.history.filter(track.role_filter(role.pk)), history_id=history_id)
    return role, record


@require_POST
@login_required
def history_revert(request, slug, track, history_id):
    role, record = _history_record_for(request, slug, track, history_id, "change")
    try:
        item = services.history_revert(record=record, user=request.user, expected_version=_posted_version(request))
    except services.StaleEdit:
        messages.error(request, _("This item changed again since you loaded the history. Check the newest entries."))
    except ObjectDoesNotExist:
        messages.error(request, _("This item no longer exists; restore it from its deletion entry instead."))
    except ValidationError as error:
        messages.error(request, _("Could not revert: %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(request, _("Reverted “%(item)s” to the chosen version.") % {"item": item})
    return redirect("roles:history", slug=role.slug)


@require_POST
@login_required
def history_restore(request, slug, track, history_id):
    role, record = _history_record_for(request, slug, track, history_id, "add")
    if record.history_type != "-":
        messages.error(request, _("Only a deletion can be restored."))
        return redirect("roles:history", slug=role.slug)
    try:
        item = services.history_restore(record=record, user=request.user)
    except ValidationError as error:
        messages.error(request, _("Could not restore: %(errors)s") % {"errors": " ".join(error.messages)})
    else:
        messages.success(request, _("Restored “%(item)s”.") % {"item": item})
    return redirect("roles:history", slug=role.slug)
