from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import compare as compare_roles, documents, orgchart, queries
from .access import kb_read_required
from .models import Qualification, ReportingLine, Role


@require_safe
@kb_read_required
def directory(request):
    roles = list(queries.roles_for_directory())
    levels = [(Role.Level(level).label, list(group)) for level, group in groupby(roles, key=lambda r: r.level)]
    return render(request, "roles/role_list.html", {"roles": roles, "levels": levels})


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
    context = {
        "role": role,
        "facts": facts,
        "titles": [t for t in titles if t.language == language],
        "other_titles": [t for t in titles if t.language != language],
        "duty_groups": [(category, list(group)) for category, group in groupby(duties, key=lambda d: d.category)],
        "required": [q for q in qualifications if q.requirement == Qualification.Requirement.REQUIRED],
        "preferred": [q for q in qualifications if q.requirement == Qualification.Requirement.PREFERRED],
        "reports_to": [line for line in lines_up if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_up": [line for line in lines_up if line.kind != ReportingLine.Kind.REPORTS_TO],
        "direct_reports": [line for line in lines_down if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_down": [line for line in lines_down if line.kind != ReportingLine.Kind.REPORTS_TO],
        "sources": queries.cited_sources([role], titles, facts, duties, qualifications, lines_up, lines_down),
    }
    return render(request, "roles/role_detail.html", context)


# Org chart ---------------------------------------------------------------------------------------


def _org_chart(request, *, absolute_links: bool):
    """The laid-out chart and its text version, from two queries."""
    roles, lines = queries.org_chart_graph()
    by_id = {role.pk: role for role in roles}
    nodes = [orgchart.Node(id=role.pk, label=role.title, sublabel=role.abbreviation) for role in roles]
    edges = [orgchart.Edge(subordinate=sub, superior=sup, kind=kind) for sub, sup, kind in lines]
    chart = orgchart.layout(nodes, edges)

    def link(role):
        url = role.get_absolute_url()
        return request.build_absolute_uri(url) if absolute_links else url

    boxes = [{"box": box, "role": by_id[box.node.id], "url": link(by_id[box.node.id])} for box in chart.boxes]
    kinds = ReportingLine.Kind
    other_lines = {}
    for edge in edges:
        if edge.kind != kinds.REPORTS_TO:
            other_lines.setdefault(edge.subordinate, []).append(
                (ReportingLine.SUBORDINATE_SIDE[edge.kind], by_id[edge.superior])
            )

    def item(entry):
        role = by_id[entry["node"].id]
        return {
            "role": role,
            "repeat": entry["repeat"],
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
        "svg_height": chart.height + legend_height,
        "svg_width": max(chart.width, 320),
        "tree": [item(entry) for entry in orgchart.tree(nodes, edges)],
        "role_count": len(roles),
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
    response["Content-Disposition"] = f'attachment; filename="org-chart-{request.LANGUAGE_CODE}.svg"'
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
