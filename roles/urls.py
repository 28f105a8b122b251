from django.urls import path

from .editing import FACTS, LINES, QUALIFICATIONS, TITLES, ItemKind
from .views import items, orgchart


def item_patterns(kind: ItemKind):
    """Add, change, delete and move one kind of a role's rows (duties, qualifications, …)."""
    prefix = f"roles/<slug:slug>/{kind.key}/"
    options = {"kind": kind}
    patterns = [
        path(f"{prefix}add/", items.item_add, options, name=f"{kind.key}_add"),
        path(f"{prefix}<int:pk>/edit/", items.item_edit, options, name=f"{kind.key}_edit"),
        path(f"{prefix}<int:pk>/delete/", items.item_delete, options, name=f"{kind.key}_delete"),
    ]
    if kind.positioned:
        patterns.append(path(f"{prefix}<int:pk>/move/", items.item_move, options, name=f"{kind.key}_move"))
    return patterns


app_name = "roles"
urlpatterns = [
    # Org chart: the page, and the picture on its own as a download.
    path("org-chart/", orgchart.org_chart, name="org-chart"),
    path("org-chart.svg", orgchart.org_chart_svg, name="org-chart-svg"),
    path("org-chart/graph.json", orgchart.org_chart_graph, name="org-chart-graph"),
    # A role's key facts, qualifications and reporting lines (editors only)
    *item_patterns(FACTS),
    *item_patterns(QUALIFICATIONS),
    *item_patterns(LINES),
    *item_patterns(TITLES),
]
