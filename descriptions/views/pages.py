"""The pages HR staff read: the directory, a role, roles side by side, and the printable job description."""

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from governance.services import is_approver
from knowledge.access import kb_read_required, throttled
from responsibilities.matrix import role_parts
from roles.models import Role

from .. import compare as compare_roles, directory as directory_query, documents, queries
from ..jsonld import jsonld_script, role_occupation
from ..sheet import role_sheet, role_with_everything


@require_safe
@kb_read_required
def directory(request):
    # Filtered, sorted and paginated so a hospital group's thousands of roles stay usable: two queries
    # (the version, the page's roles), five after a change (see directory_page and filter_choices).
    wanted = directory_query.DirectoryRequest.from_query(request.GET)
    version = directory_query.directory_version()
    page = directory_query.directory_page(wanted, version)
    cards = directory_query.cards(page.roles)
    levels = [(Role.Level(level).label, list(group)) for level, group in groupby(cards, key=lambda c: c["level"])]
    context = {"roles": page.roles, "cards": cards, "levels": levels, "page_obj": page, "wanted": wanted}
    context |= {"overdue": wanted.overdue} | directory_query.filter_choices(version, wanted.department)
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
    # Only the chosen roles and the picker's matches are read, never every role: 2,000 roles cost
    # what 4 do. "Find" only searches; "Compare" compares.
    asked = [slug.strip() for value in request.GET.getlist("roles") for slug in value.split(",") if slug.strip()]
    find = request.GET.get("find", "")[:100]
    searching = request.GET.get("action") == "find"
    known = queries.role_titles(asked + request.GET.getlist("with")[:1])
    selection = compare_roles.parse_selection(asked, known)
    if searching:
        selection.errors = []
    comparison = None
    if selection.valid and not searching:
        found = queries.roles_for_comparison(selection.slugs)
        comparison = compare_roles.build_comparison([found[slug] for slug in selection.slugs])
    # "Compare with…" on a role page arrives with that role ticked and nothing to complain about yet.
    ticked = selection.slugs or [slug for slug in request.GET.getlist("with") if slug in known][:1]
    options, more = queries.picker_options(find)
    context = {
        "chosen": [(slug, known[slug]) for slug in ticked],
        "options": [(slug, title) for slug, title in options if slug not in ticked],
        "more": more,
        "find": find,
        "searching": searching,
        "errors": selection.errors,
        "comparison": comparison,
        "max_roles": compare_roles.MAX_ROLES,
    }
    return render(request, "descriptions/role_compare.html", context, status=400 if selection.errors else 200)


def _with_citations(request) -> bool:
    """The cited edition is asked for with ``?citations=1``; the clean one is the default."""
    return request.GET.get("citations") in ("1", "true", "yes", "on")


@require_safe
@kb_read_required
@throttled("pdf")
def pdf(request, slug):
    role = role_with_everything(slug)
    citations = _with_citations(request)
    try:
        pdf_bytes = documents.job_description_pdf(request, role, citations=citations)
    except documents.TooLongToPrint as too_long:
        context = {"role": role, "characters": too_long.characters, "limit": documents.MAX_CHARACTERS}
        return render(request, "descriptions/role_pdf_too_long.html", context, status=422)
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    edition = "-with-sources" if citations else ""
    response["Content-Disposition"] = f'inline; filename="{role.slug}{edition}-{request.LANGUAGE_CODE}.pdf"'
    return response


@require_safe
@kb_read_required
def job_description(request, slug):
    """The job description as a page to print from the browser: the PDF's content and layout."""
    role = role_with_everything(slug)
    return HttpResponse(documents.job_description_html(request, role, citations=_with_citations(request)))
