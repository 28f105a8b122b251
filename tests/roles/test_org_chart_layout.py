"""The org chart layout, without the database."""

import random
from bisect import bisect_left

import pytest

from roles.orgchart import Edge, Node, tree
from roles.orgchart_layout import STACK_OVER, STACK_ROWS, layout, wrap_label


def generated_org(count=300, seed=7):
    rng = random.Random(seed)
    nodes = [Node(id=i, label=f"Role number {i} with a fairly long title", sublabel=f"R{i}") for i in range(count)]
    edges = []
    for i in range(1, count):
        edges.append(Edge(subordinate=i, superior=rng.randrange(0, i)))
        if rng.random() < 0.05:  # a second solid superior
            edges.append(Edge(subordinate=i, superior=rng.randrange(0, i)))
        if rng.random() < 0.2:  # some non-solid lines, in any direction, including "upwards"
            other = rng.randrange(0, count)
            if other != i:
                edges.append(Edge(subordinate=other, superior=i, kind=rng.choice(["dotted", "oversees", "liaison"])))
    return nodes, sorted(set(edges), key=edges.index)


def hospital(directors=100, physicians=(12, 28), seed=3):
    """A CMO, four ACMOs, their medical directors, and each director's physicians: ~2,000 roles by default."""
    rng = random.Random(seed)
    nodes = [Node(id="cmo", label="Chief Medical Officer", sublabel="CMO")]
    edges = []
    for a in range(4):
        nodes.append(Node(id=f"acmo{a}", label=f"Associate Chief Medical Officer for Division {a}", sublabel="ACMO"))
        edges.append(Edge(f"acmo{a}", "cmo"))
    for d in range(directors):
        nodes.append(Node(id=f"d{d}", label=f"Medical Director, Department {d}"))
        edges.append(Edge(f"d{d}", f"acmo{d % 4}"))
        for p in range(rng.randint(*physicians)):
            nodes.append(Node(id=f"d{d}p{p}", label=f"Physician {p} in Department {d}"))
            edges.append(Edge(f"d{d}p{p}", f"d{d}"))
    return nodes, edges


def assert_no_overlaps(chart):
    by_row = {}
    for box in chart.boxes:
        by_row.setdefault(box.row, []).append(box)
    tops = set()
    for row in by_row.values():
        tops |= {b.y for b in row}
        row.sort(key=lambda b: b.x)
        for left, right in zip(row, row[1:], strict=False):
            assert left.right < right.x, (left.node.id, right.node.id)
    assert len(tops) == len(by_row)  # each row has one height, so boxes of different rows never meet
    assert all(0 <= b.x and b.right <= chart.width and 0 <= b.y and b.bottom <= chart.height for b in chart.boxes)


def assert_children_below_and_under_their_superior(chart):
    boxes = {box.node.id: box for box in chart.boxes}
    kids = {}
    for child, superior in chart.parent.items():
        assert boxes[child].y > boxes[superior].bottom
        kids.setdefault(superior, []).append(boxes[child])
    for superior, boxes_below in kids.items():
        centre = boxes[superior].cx
        assert min(b.cx for b in boxes_below) <= centre <= max(b.cx for b in boxes_below), superior


def assert_routes_avoid_boxes(chart):
    rows = {}  # a row's top -> its boxes from left to right
    for box in sorted(chart.boxes, key=lambda b: b.x):
        rows.setdefault(box.y, []).append(box)
    for route in chart.routes:
        ends = {route.edge.superior, route.edge.subordinate}
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            assert x1 == x2 or y1 == y2  # right angles only
            for row in rows.values():
                if not (min(y1, y2) < row[0].bottom and max(y1, y2) > row[0].y):
                    continue
                start = bisect_left([b.right for b in row], min(x1, x2))
                for box in row[start:]:
                    if box.x >= max(x1, x2):
                        break
                    assert box.node.id in ends or box.right <= min(x1, x2), (route.edge, box.node.id)


def on_edge(point, box):
    x, y = point
    within = box.x <= x <= box.right and box.y <= y <= box.bottom
    return within and (x in (box.x, box.right) or y in (box.y, box.bottom))


def test_no_two_boxes_overlap_with_300_roles():
    chart = layout(*generated_org())

    assert len(chart.boxes) == 300
    assert_no_overlaps(chart)


def test_every_report_is_below_its_superior_and_every_solid_line_points_down():
    nodes, edges = generated_org()
    chart = layout(nodes, edges)
    boxes = {box.node.id: box for box in chart.boxes}

    assert len(chart.parent) == len(nodes) - 1  # one top; everyone else hangs under a solid superior
    assert all(Edge(child, superior) in edges for child, superior in chart.parent.items())
    assert_children_below_and_under_their_superior(chart)
    for edge in edges:
        if edge.kind == "reports_to":
            assert boxes[edge.superior].bottom < boxes[edge.subordinate].y, edge


def test_routes_join_their_boxes_and_never_cross_another():
    nodes, edges = generated_org()
    chart = layout(nodes, edges)
    boxes = {box.node.id: box for box in chart.boxes}

    assert [r.edge for r in chart.routes] == edges
    for route in chart.routes:
        ends = [boxes[route.edge.superior], boxes[route.edge.subordinate]]
        assert on_edge(route.points[0], ends[0]) or on_edge(route.points[0], ends[1])
        assert on_edge(route.points[-1], ends[0]) or on_edge(route.points[-1], ends[1])
    assert_routes_avoid_boxes(chart)


def test_a_hospital_reads_as_a_tree():
    nodes, edges = hospital()
    chart = layout(nodes, edges)
    boxes = {box.node.id: box for box in chart.boxes}

    assert len(nodes) > 2000
    assert_no_overlaps(chart)
    assert_children_below_and_under_their_superior(chart)
    assert_routes_avoid_boxes(chart)
    # The levels above the physicians are rows of their own; each department's physicians hang in
    # columns of at most STACK_ROWS right under their director, so the whole is only so tall.
    assert {boxes["cmo"].row} | {boxes[f"acmo{a}"].row for a in range(4)} == {0, 1}
    assert {boxes[f"d{d}"].row for d in range(100)} == {2}
    assert max(box.row for box in chart.boxes) <= 2 + STACK_ROWS
    for d in range(100):
        director = boxes[f"d{d}"]
        physicians = [boxes[e.subordinate] for e in edges if e.superior == f"d{d}"]
        assert all(p.stacked for p in physicians)
        columns = sorted({p.x for p in physicians})
        assert len(columns) == -(-len(physicians) // STACK_ROWS)
        assert all(b - a == director.width + 28 for a, b in zip(columns, columns[1:], strict=False))  # side by side


def test_a_stack_is_joined_along_a_spine_into_each_box_side():
    nodes = [Node(id=0, label="Chief")] + [Node(id=i, label=f"Physician {i}") for i in range(1, 41)]
    chart = layout(nodes, [Edge(subordinate=i, superior=0) for i in range(1, 41)])
    boxes = {box.node.id: box for box in chart.boxes}

    assert chart.width < 4 * (184 + 28) + 40  # three columns, not a row of forty
    assert [boxes[i].row for i in range(1, 15)] == list(range(1, 15))  # in order, one under the other
    for route in chart.routes:
        box = boxes[route.edge.subordinate]
        (spine, y), last = route.points[-2], route.points[-1]
        assert last == (box.x, box.cy) and y == box.cy and box.x - 28 < spine < box.x
        assert route.points[0] == (boxes[0].cx, boxes[0].bottom)


def test_a_few_reports_without_reports_stand_side_by_side():
    nodes = [Node(id=n, label=n) for n in "abcde"]
    chart = layout(nodes, [Edge(n, "a") for n in "bcde"])

    assert len(chart.boxes) == STACK_OVER + 1
    assert {chart.box_for(n).row for n in "bcde"} == {1}
    assert not any(box.stacked for box in chart.boxes)
    for route in chart.routes:  # into the top of each
        box = chart.box_for(route.edge.subordinate)
        assert route.points[-1] == (box.cx, box.y)


def test_beside_a_report_with_reports_the_others_are_stacked():
    nodes = [Node(id=n, label=n) for n in "abcde"]
    chart = layout(nodes, [Edge("b", "a"), Edge("c", "a"), Edge("d", "a"), Edge("e", "b")])

    assert [chart.box_for(n).stacked for n in "abcde"] == [False, False, True, True, False]
    assert chart.box_for("c").row == 1 and chart.box_for("d").row == 2
    assert chart.box_for("b").x < chart.box_for("c").x  # the stack comes after the other reports


def test_a_role_with_two_solid_superiors_hangs_under_the_lower_one():
    nodes = [Node(id=n, label=n) for n in "abcd"]
    edges = [Edge("b", "a"), Edge("c", "b"), Edge("c", "a"), Edge("d", "a")]
    chart = layout(nodes, edges)

    assert chart.parent == {"b": "a", "c": "b", "d": "a"}
    assert [chart.box_for(n).row for n in "abc"] == [0, 1, 2]
    assert_routes_avoid_boxes(chart)


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

    assert [chart.box_for(n).row for n in "abc"] == [0, 1, 2]
    assert len(chart.routes) == 5
    assert_routes_avoid_boxes(chart)


def test_a_solid_cycle_in_bad_data_is_cut_rather_than_followed():
    nodes = [Node(id=n, label=n) for n in "abc"]
    edges = [Edge("b", "a"), Edge("c", "b"), Edge("a", "c")]

    chart = layout(nodes, edges)
    listed = tree(nodes, edges)

    assert len(chart.boxes) == 3 and len(chart.routes) == 3
    assert_no_overlaps(chart)
    assert listed and listed[0]["node"].id == "a"


def test_several_tops_stand_side_by_side():
    nodes = [Node(id=n, label=n) for n in "abcd"]
    chart = layout(nodes, [Edge("c", "a"), Edge("d", "b")])

    assert chart.box_for("a").row == chart.box_for("b").row == 0
    assert chart.box_for("a").x < chart.box_for("b").x
    assert_no_overlaps(chart)


def test_layout_is_deterministic():
    nodes, edges = generated_org(count=150)
    first, second = layout(nodes, edges), layout(list(nodes), list(edges))

    assert [(b.node.id, b.x, b.y) for b in first.boxes] == [(b.node.id, b.x, b.y) for b in second.boxes]
    assert [r.path for r in first.routes] == [r.path for r in second.routes]


def test_lines_to_unknown_roles_and_self_lines_are_dropped():
    nodes = [Node(id=1, label="One"), Node(id=2, label="Two")]
    chart = layout(nodes, [Edge(2, 1), Edge(2, 99), Edge(1, 1, kind="dotted")])

    assert [(r.edge.subordinate, r.edge.superior) for r in chart.routes] == [(2, 1)]


def test_an_empty_chart_and_duplicate_ids():
    assert layout([], []).boxes == []
    with pytest.raises(ValueError):
        layout([Node(id=1, label="a"), Node(id=1, label="b")], [])


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
    assert len(long.lines) >= 4 and all(len(line) <= 22 for line in long.lines)
    assert long.height == short.height
    assert long.text_lines[-1][1] < long.bottom


def test_wrap_label_keeps_a_long_word_whole():
    assert wrap_label("Otorhinolaryngologist-in-chief of the hospital", 12) == [
        "Otorhinolaryngologist-in-chief",
        "of the",
        "hospital",
    ]
    assert wrap_label("", 10) == [""]
