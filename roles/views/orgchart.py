"""The org chart page, drawn on the server as SVG with a text version, and the SVG on its own."""

from collections.abc import Hashable
from urllib.parse import quote_plus

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_safe

from knowledge.access import kb_read_required

from .. import orgchart, orgchart_layout, orgchart_markup, queries
from ..models import ReportingLine, Role

# Above this many roles the full chart leaves out the bottom level (each role there is counted,
# with a link to the focus view of its superior), so a hospital group's chart stays legible.
ORG_CHART_COLLAPSE_OVER = 150


def _org_chart(request, *, absolute_links: bool):
    """The laid-out chart and its text version, from two queries.

    ``?focus=<slug>`` narrows it to that role's neighbourhood (404 for an unknown slug); a large
    organisation's full chart is collapsed. Both are cut from the rows already fetched.
    """
    version = queries.structure_version()
    roles, lines, nodes, edges, by_id = queries.org_chart_nodes(version)
    focus_slug = request.GET.get("focus")
    focus = None
    if focus_slug is not None:
        focus = next((role for role in roles if role.slug == focus_slug), None)
        if focus is None:
            raise Http404(_("There is no role with that address."))
        shown = orgchart.neighbourhood(nodes, edges, focus.pk)
    else:
        depth = 1 if len(roles) > ORG_CHART_COLLAPSE_OVER else 0
        # What to leave out depends only on the structure: worked out once per change (~10 ms at 10,000 roles).
        shown = queries.kept(
            f"collapsed:{get_language()}", version, lambda: orgchart.collapse(nodes, edges, depth=depth)
        )
    chart = orgchart_layout.layout(shown.nodes, shown.edges)

    def absolute(url):
        return request.build_absolute_uri(url) if absolute_links else url

    chart_url = reverse("roles:org-chart")

    def focus_url(role):
        return absolute(f"{chart_url}?focus={quote_plus(role.slug)}")

    def more(role_id):
        hidden = [by_id[i] for i in shown.hidden.get(role_id, [])]
        if not hidden:
            return None
        clinicians = all(role.level == Role.Level.CLINICIAN for role in hidden)
        return {"count": len(hidden), "clinicians": clinicians, "url": focus_url(by_id[role_id])}

    superiors = set(chart.parent.values())
    boxes = []
    for box in chart.boxes:
        role = by_id[box.node.id]
        entry = {"box": box, "role": role, "url": absolute(role.get_absolute_url()), "focus": role == focus}
        entry["more"] = more(role.pk)
        if entry["more"]:
            # Beside the line down to the reports that are drawn, if any, rather than across it.
            beside = box.node.id in superiors
            entry["more"].update(x=box.cx + 6 if beside else box.cx, y=box.bottom + 16)
            entry["more"]["anchor"] = "start" if beside else "middle"
        boxes.append(entry)
    kinds = ReportingLine.Kind
    other_lines: dict[Hashable, list[tuple[Promise, Role]]] = {}
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

    legend_top = orgchart_layout.Geometry().margin
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
        "client": _client_data(focus),
    }


def _client_data(focus) -> dict:
    """What the interactive chart drawn over the server's picture needs besides the graph.

    The graph itself (every role and line) is fetched from ``org_chart_graph``: at 10,000 roles it
    is about 1 MB, which every page would otherwise carry, and there it is cached like the chart.
    """
    return {
        "graph": reverse("roles:org-chart-graph"),
        "roleUrl": reverse("descriptions:detail", kwargs={"slug": "__slug__"}),
        "focus": focus.slug if focus else None,
        "collapseOver": ORG_CHART_COLLAPSE_OVER,
        "styles": ORG_CHART_LINE_STYLES,
        "text": {
            "show": _("Show the {count} reports of {title}"),
            "hide": _("Hide the reports of {title}"),
            "found": _("Found: {title}."),
            "notFound": _("No role matches “{query}”."),
            "empty": _("Type part of a role's title."),
            "many": _("{count} roles match; showing the first: {title}."),
        },
    }


# Presentation attributes rather than CSS, so the downloaded .svg looks the same on its own.
ORG_CHART_LINE_STYLES: dict[str, dict[str, str]] = {
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
    context = _org_chart(request, absolute_links=False)
    context["chart_svg"], context["chart_tree"] = orgchart_markup.svg(context), orgchart_markup.tree(context["tree"])
    return render(request, "roles/org_chart.html", context)


@require_safe
@kb_read_required
def org_chart_graph(request):
    """Every role and line for the interactive chart (see ``queries.org_chart_client_graph``). One query, or three."""
    return HttpResponse(queries.org_chart_client_graph(), content_type="application/json")


@require_safe
@kb_read_required
def org_chart_svg(request):
    context = {**_org_chart(request, absolute_links=True), "standalone": True}
    response = HttpResponse(orgchart_markup.svg(context), content_type="image/svg+xml; charset=utf-8")
    name = f"org-chart-{context['focus'].slug}" if context["focus"] else "org-chart"
    response["Content-Disposition"] = f'attachment; filename="{name}-{request.LANGUAGE_CODE}.svg"'
    return response
