"""The org chart layout, without the database."""

import random

from roles.orgchart import Edge, Node, tree
from roles.orgchart_layout import LANE_OFFSET, layout


def generated_org(count=300, seed=7):
    rng = random.Random(seed)
    nodes = [Node(id=i, label=f"Role number {i} with a fairly long title", sublabel=f"R{i}") for i in range(count)]
    edges = []
    for i in range(1, count):
        edges.append(Edge(subordinate=i, superior=rng.randrange(0, i)))
        if rng.random() < 0.2:  # some non-solid lines, in any direction, including "upwards"
            other = rng.randrange(0, count)
            if other != i:
                edges.append(Edge(subordinate=other, superior=i, kind=rng.choice(["dotted", "oversees", "liaison"])))
    return nodes, edges


def test_no_two_boxes_overlap_with_300_roles():
    nodes, edges = generated_org()
    chart = layout(nodes, edges)

    assert len(chart.boxes) == 300
    by_row = {}
    for box in chart.boxes:
        by_row.setdefault(box.row, []).append(box)
    for row in by_row.values():
        row.sort(key=lambda b: b.x)
        for left, right in zip(row, row[1:], strict=False):
            assert left.x + left.width < right.x
    assert not any(a.overlaps(b) for a in chart.boxes for b in chart.boxes if a is not b and a.row == b.row)
    assert all(0 <= b.x and b.x + b.width <= chart.width and b.y + b.height <= chart.height for b in chart.boxes)


def test_solid_lines_point_downwards_and_routes_join_existing_boxes():
    nodes, edges = generated_org()
    chart = layout(nodes, edges)
    boxes = {box.node.id: box for box in chart.boxes}

    assert len(chart.routes) == len(edges)
    for route in chart.routes:
        superior, subordinate = boxes[route.edge.superior], boxes[route.edge.subordinate]
        if route.edge.kind == "reports_to":
            assert superior.layer < subordinate.layer
        ends = {route.points[0], route.points[-1]}
        anchors = {(b.cx, b.bottom) for b in (superior, subordinate)} | {(b.cx, b.y) for b in (superior, subordinate)}
        lane = LANE_OFFSET[route.edge.kind]
        for b in (superior, subordinate):  # a wrapped row is joined at the box's side, at mid-height
            anchors |= {(b.x, b.y + b.height / 2 + lane), (b.x + b.width, b.y + b.height / 2 + lane)}
        assert ends <= anchors


def test_routes_never_cross_a_box():
    nodes, edges = generated_org(count=120)
    chart = layout(nodes, edges)

    for route in chart.routes:
        ends = {route.edge.superior, route.edge.subordinate}
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            for box in chart.boxes:
                if box.node.id in ends:
                    continue
                inside_x = min(x1, x2) < box.x + box.width and max(x1, x2) > box.x
                inside_y = min(y1, y2) < box.y + box.height and max(y1, y2) > box.y
                assert not (inside_x and inside_y), (route.edge, box.node.id)


def test_wide_layers_wrap_so_the_chart_keeps_a_readable_width():
    nodes = [Node(id=0, label="Chief")] + [Node(id=i, label=f"Physician {i}") for i in range(1, 201)]
    edges = [Edge(subordinate=i, superior=0) for i in range(1, 201)]
    chart = layout(nodes, edges)

    assert chart.width < 2000
    assert len({box.row for box in chart.boxes}) == 1 + 25


def test_non_solid_cycles_do_not_break_the_layout():
    nodes = [Node(id=n, label=n) for n in "abc"]
    edges = [
        Edge("b", "a"),
        Edge("c", "b"),
        Edge("a", "c", kind="dotted"),
        Edge("b", "c", kind="liaison"),
        Edge("a", "b", kind="oversees"),
    ]
    chart = layout(nodes, edges)

    assert [chart.box_for(n).layer for n in "abc"] == [0, 1, 2]
    assert len(chart.routes) == 5


def test_a_solid_cycle_in_bad_data_is_cut_rather_than_followed():
    nodes = [Node(id=n, label=n) for n in "abc"]
    edges = [Edge("b", "a"), Edge("c", "b"), Edge("a", "c")]

    chart = layout(nodes, edges)
    listed = tree(nodes, edges)

    assert len(chart.boxes) == 3
    assert len({(b.row, b.column) for b in chart.boxes}) == 3
    assert listed and listed[0]["node"].id == "a"


def test_layout_is_deterministic():
    nodes, edges = generated_org(count=150)
    first, second = layout(nodes, edges), layout(list(nodes), list(edges))

    assert [(b.node.id, b.x, b.y) for b in first.boxes] == [(b.node.id, b.x, b.y) for b in second.boxes]
    assert [r.path for r in first.routes] == [r.path for r in second.routes]


def test_lines_to_unknown_roles_and_self_lines_are_dropped():
    nodes = [Node(id=1, label="One"), Node(id=2, label="Two")]
    chart = layout(nodes, [Edge(2, 1), Edge(2, 99), Edge(1, 1, kind="dotted")])

    assert [(r.edge.subordinate, r.edge.superior) for r in chart.routes] == [(2, 1)]


def test_tree_lists_a_role_with_two_superiors_under_both_but_expands_it_once():
    nodes = [Node(id=n, label=n) for n in "abcd"]
    edges = [Edge("b", "a"), Edge("c", "a"), Edge("d", "b"), Edge("d", "c")]

    listed = tree(nodes, edges)

    (root,) = listed
    b, c = root["children"]
    assert [(k["node"].id, k["repeat"]) for k in b["children"]] == [("d", False)]
    assert [(k["node"].id, k["repeat"]) for k in c["children"]] == [("d", True)]


def test_long_labels_wrap_in_full_and_every_box_is_tall_enough_for_the_longest():
    title = "Associate Chief Medical Officer for Quality, Safety and Clinical Effectiveness"
    chart = layout([Node(id=1, label=title), Node(id=2, label="CMO")], [])

    long, short = chart.boxes
    assert " ".join(long.lines) == title
    assert len(long.lines) >= 4
    assert long.height == short.height
    assert long.text_lines[-1][1] < long.bottom


def test_a_wrapped_row_is_joined_from_the_side_not_from_the_row_above():
    nodes = [Node(id=0, label="Chief")] + [Node(id=i, label=f"Director {i}") for i in range(1, 21)]
    chart = layout(nodes, [Edge(subordinate=i, superior=0) for i in range(1, 21)])
    boxes = {box.node.id: box for box in chart.boxes}

    for route in chart.routes:
        box = boxes[route.edge.subordinate]
        (_x, y), (last_x, last_y) = route.points[-2], route.points[-1]
        if box.row > boxes[0].row + 1:
            assert last_y == y == box.y + box.height / 2 and last_x in (box.x, box.x + box.width)
        else:
            assert (last_x, last_y) == (box.cx, box.y)
