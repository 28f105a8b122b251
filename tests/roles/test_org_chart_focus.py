"""The org chart's focus view and the collapsed chart of a large organisation."""

import re
import xml.etree.ElementTree as ET

import pytest

from descriptions.demo import generate_demo_org
from roles.models import Role
from roles.orgchart import Edge, Node, collapse, neighbourhood
from roles.orgchart_layout import layout
from roles.views.orgchart import ORG_CHART_COLLAPSE_OVER

SVG = "{http://www.w3.org/2000/svg}"

# 0 tops 1 and 2; 1 tops 3 and 4; 3 tops 5 and 6; 2 tops 7. A dotted line 7 -> 3, a liaison 4 -> 0.
NODES = [Node(id=i, label=f"Role {i}") for i in range(8)]
EDGES = [
    Edge(1, 0),
    Edge(2, 0),
    Edge(3, 1),
    Edge(4, 1),
    Edge(5, 3),
    Edge(6, 3),
    Edge(7, 2),
    Edge(7, 3, "dotted"),
    Edge(4, 0, "liaison"),
]


def ids(selection):
    return [node.id for node in selection.nodes]


def test_neighbourhood_is_the_chain_up_the_direct_reports_and_the_lines_among_them():
    around = neighbourhood(NODES, EDGES, 1)

    assert ids(around) == [0, 1, 3, 4]  # not 2 (a sibling), not 5 or 6 (reports of a report)
    assert set(around.edges) == {Edge(1, 0), Edge(3, 1), Edge(4, 1), Edge(4, 0, "liaison")}
    chart = layout(around.nodes, around.edges)
    assert [chart.box_for(i).row for i in (0, 1, 3, 4)] == [0, 1, 2, 2]


def test_neighbourhood_of_a_bottom_role_is_its_whole_chain():
    assert ids(neighbourhood(NODES, EDGES, 6)) == [0, 1, 3, 6]
    assert ids(neighbourhood(NODES, EDGES, 0)) == [0, 1, 2]


def test_neighbourhood_of_an_unknown_node_raises_key_error():
    with pytest.raises(KeyError):
        neighbourhood(NODES, EDGES, 99)


def test_collapse_counts_the_bottom_level_under_its_superior():
    collapsed = collapse(NODES, EDGES, depth=1)

    assert ids(collapsed) == [0, 1, 2, 3]
    assert collapsed.hidden == {1: [4], 2: [7], 3: [5, 6]}
    assert all(e.subordinate in {0, 1, 2, 3} and e.superior in {0, 1, 2, 3} for e in collapsed.edges)


def test_collapse_depth_two_and_zero():
    assert ids(collapse(NODES, EDGES, depth=2)) == [0, 1]  # 2 has reports, but only one level of them
    assert collapse(NODES, EDGES, depth=2).hidden == {0: [2], 1: [3, 4]}
    assert ids(collapse(NODES, EDGES, depth=0)) == list(range(8))


def test_collapse_keeps_roles_without_a_superior():
    lone = [Node(id="a", label="A"), Node(id="b", label="B")]
    assert ids(collapse(lone, [], depth=1)) == ["a", "b"]


# Pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_focus_view_shows_the_role_its_superiors_and_reports(client, kb, prefix, django_assert_num_queries):
    with django_assert_num_queries(3):  # the same three queries as the full chart
        response = client.get(f"{prefix}/org-chart/?focus=medical-director")

    assert response.status_code == 200
    html = response.content.decode()
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314 - our own output
    slugs = {a.get("data-slug") for a in svg.findall(f".//{SVG}a")}
    assert "medical-director" in slugs and "chief-medical-officer" in slugs and "physician" in slugs
    director = Role.objects.get(slug="medical-director")
    heading = "Rundt" if prefix else "Around"
    assert f"<h1>{heading} {director.title}</h1>" in html
    assert f'href="{prefix}/org-chart/"' in html  # back to the full chart
    assert f'href="{prefix}/org-chart/?focus=physician"' in html  # focus here, in the text version
    assert f'href="{prefix}/roles/physician/"' in html


def test_focus_on_an_unknown_role_is_404(client, kb):
    assert client.get("/org-chart/?focus=nobody").status_code == 404
    assert client.get("/org-chart.svg?focus=nobody").status_code == 404
    assert client.get("/nb/org-chart/?focus=").status_code == 404


def test_focus_view_downloads_as_svg(client, kb):
    response = client.get("/org-chart.svg?focus=physician")

    assert response.status_code == 200
    assert 'filename="org-chart-physician-en.svg"' in response["Content-Disposition"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert all(a.get("href").startswith("http://testserver/") for a in root.findall(f".//{SVG}a"))


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_role_page_links_to_its_place_in_the_org_chart(client, kb, prefix):
    html = client.get(f"{prefix}/roles/physician/").content.decode()

    assert f'href="{prefix}/org-chart/?focus=physician"' in html


def test_a_large_chart_shows_the_top_levels_and_counts_the_physicians(client, kb, django_assert_num_queries):
    generate_demo_org(ORG_CHART_COLLAPSE_OVER + 60)
    total = Role.objects.count()

    with django_assert_num_queries(3):
        html = client.get("/org-chart/").content.decode()

    boxes = html.count('class="org-box')
    # Every role with solid reports (or none above it) is drawn; the roles at the bottom are counted.
    drawn = Role.objects.filter(lines_down__kind="reports_to").distinct().count()
    assert boxes == drawn < total
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314 - our own output
    assert_boxes_apart_and_titled(svg)
    assert_counts_clear_of_lines(svg)
    assert 'class="org-box level-clinician"' not in html
    assert "To stay legible" in html
    director = Role.objects.filter(level=Role.Level.DEPARTMENT_LEAD, seed_key__startswith="demo:").first()
    reports = director.lines_down.filter(kind="reports_to").count()
    assert f'href="/org-chart/?focus={director.slug}"' in html
    assert f"+ {reports} physicians" in html
    assert f"+ {reports} leger" in client.get("/nb/org-chart/").content.decode()  # its own message
    focused = client.get(f"/org-chart/?focus={director.slug}").content.decode()
    assert focused.count('class="org-box') == reports + 1 + len(neighbourhood_chain(director))


def assert_boxes_apart_and_titled(svg):
    rects = []
    for link in svg.findall(f".//{SVG}a[@class]"):
        if "org-box" not in link.get("class"):
            continue
        assert link.find(f"{SVG}title").text and link.get("aria-label")
        rect = link.find(f"{SVG}rect")
        x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        rects.append((y, x, x + w, y + h))
    rects.sort()
    for (y1, _x1, r1, b1), (y2, x2, _r2, _b2) in zip(rects, rects[1:], strict=False):
        assert y2 >= b1 or (y2 == y1 and x2 >= r1)  # the next box is in a lower row or further right


def assert_counts_clear_of_lines(svg):
    """No line runs down through a "+ N physicians" link (about 100 by 14 pixels)."""
    verticals = []
    for path in svg.findall(f".//{SVG}path"):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", path.get("d"))]
        points = list(zip(numbers[::2], numbers[1::2], strict=True))
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if x1 == x2:
                verticals.append((x1, min(y1, y2), max(y1, y2)))
    counts = svg.findall(f".//{SVG}a[@class='org-more']/{SVG}text")
    assert counts
    for text in counts:
        x, y = float(text.get("x")), float(text.get("y"))
        left, right = (x, x + 100) if text.get("text-anchor") == "start" else (x - 50, x + 50)
        assert not any(left < vx < right and top < y and y - 12 < bottom for vx, top, bottom in verticals)


def neighbourhood_chain(role):
    chain, seen = [], set()
    pending = [role]
    while pending:
        for line in pending.pop().lines_up.filter(kind="reports_to"):
            if line.superior_id not in seen:
                seen.add(line.superior_id)
                chain.append(line.superior)
                pending.append(line.superior)
    return chain
