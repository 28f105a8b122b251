"""The pages HR staff read: the directory, a role, roles side by side, and the printable job description."""

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from governance import queries as governance_queries
from governance.services import is_approver
from knowledge.access import kb_read_required, throttled
from responsibilities.matrix import role_parts
from roles.models import Role
from roles.queries import role_choices

from .. import compare as compare_roles, documents, queries
from ..jsonld import jsonld_script, role_occupation
from ..sheet import role_sheet, role_with_everything

DIRECTORY_PAGE_SIZE = 60


@require_safe
@kb_read_required
def directory(request):
    # Paginated so a hospital group's thousands of roles stay usable, in one query per page.
    overdue = request.GET.get("review") == "overdue"  # roles past their periodic review date
    page = queries.directory_page(
        request.GET.get("page"), DIRECTORY_PAGE_SIZE, only=governance_queries.overdue_filter() if overdue else None
    )
    roles = page.roles
    levels = [(Role.Level(level).label, list(group)) for level, group in groupby(roles, key=lambda r: r.level)]
    context = {"roles": roles, "levels": levels, "page_obj": page, "overdue": overdue}
    return render(request, "descriptions/role_list.html", context)


@require_safe
@kb_read_required
def detail(request, slug):
    role = role_with_everything(slug)
    context = role_sheet(role, request.LANGUAGE_CODE).context()
    context["raci_parts"] = role_parts(role)  # the role's column of the responsibility matrix
    context["jsonld"] = jsonld_script(role_occupation(role, url=request.build_absolute_uri(role.get_absolute_url())))
    if request.user.is_authenticated:  # editors see when the role is due and reach its draft and review
        context["today"] = timezone.localdate()
        context["is_approver"] = is_approver(request.user)
    return render(request, "descriptions/role_detail.html", context)


@require_safe
@kb_read_required
def compare(request):
    choices = role_choices()
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
    return render(request, "descriptions/role_compare.html", context, status=400 if selection.errors else 200)


@require_safe
@kb_read_required
@throttled("pdf")
def pdf(request, slug):
    role = role_with_everything(slug)
    try:
        pdf_bytes = documents.job_description_pdf(request, role)
    except documents.TooLongToPrint as too_long:
        context = {"role": role, "characters": too_long.characters, "limit": documents.MAX_CHARACTERS}
        return render(request, "descriptions/role_pdf_too_long.html", context, status=422)
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{role.slug}-{request.LANGUAGE_CODE}.pdf"'
    return response
