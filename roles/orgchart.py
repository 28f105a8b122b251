"""The org chart as a graph: roles as nodes, reporting lines as typed edges (plain Python, no database).

The pieces every view of the chart shares — the text tree (page, API), the focus and
collapsed selections — work on the nodes and edges fetched once; ``orgchart_layout``
draws them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Hashable, Iterable
from dataclasses import dataclass, field

SOLID = "reports_to"


@dataclass(frozen=True)
class Node:
    id: Hashable
    label: str
    sublabel: str = ""


@dataclass(frozen=True)
class Edge:
    subordinate: Hashable
    superior: Hashable
    kind: str = SOLID


def graph(roles: Iterable, lines: Iterable[tuple]) -> tuple[list[Node], list[Edge]]:
    """Nodes from roles (``pk``, ``title``, ``abbreviation``) and edges from (subordinate, superior, kind) rows."""
    nodes = [Node(id=role.pk, label=role.title, sublabel=role.abbreviation) for role in roles]
    edges = [Edge(subordinate=sub, superior=sup, kind=kind) for sub, sup, kind in lines]
    return nodes, edges


def solid_superiors(edges: Iterable[Edge]) -> defaultdict[Hashable, list]:
    """Each role's superiors along solid lines (subordinate -> superiors), in edge order."""
    superiors: defaultdict[Hashable, list] = defaultdict(list)
    for edge in edges:
        if edge.kind == SOLID:
            superiors[edge.subordinate].append(edge.superior)
    return superiors


def solid_reports(edges: Iterable[Edge], among: Container | None = None) -> defaultdict[Hashable, list]:
    """Each role's direct reports along solid lines (superior -> subordinates), in edge order.

    With ``among``, only the lines with both ends in it.
    """
    reports: defaultdict[Hashable, list] = defaultdict(list)
    for edge in edges:
        if edge.kind == SOLID and (among is None or (edge.subordinate in among and edge.superior in among)):
            reports[edge.superior].append(edge.subordinate)
    return reports


def longest_paths(node_ids: Iterable, neighbours: dict) -> dict:
    """Each node's longest path along ``neighbours`` (node -> nodes): 0 for a node with none.

    Iterative depth-first search, so deep chains cannot overflow the stack; a neighbour that closes
    a cycle (invalid data) is cut, not followed.
    """
    length: dict = {}
    on_path: set = set()
    for start in node_ids:
        if start in length:
            continue
        stack = [(start, iter(neighbours.get(start, ())))]
        on_path.add(start)
        while stack:
            node, pending = stack[-1]
            for neighbour in pending:
                if neighbour in length or neighbour in on_path:
                    continue
                on_path.add(neighbour)
                stack.append((neighbour, iter(neighbours.get(neighbour, ()))))
                break
            else:
                stack.pop()
                on_path.discard(node)
                # A node's length is known once all its neighbours' are; those still on the path
                # close a cycle and do not count.
                known = [length[n] for n in neighbours.get(node, ()) if n in length]
                length[node] = max(known) + 1 if known else 0
    return length


def tree(nodes: list[Node], edges: list[Edge]) -> list[dict]:
    """The solid lines as a nested list (for the text version): roots first, in node order.

    A role with several solid superiors appears under each; a solid cycle is cut where it
    would repeat a role already on the path.
    """
    order = {node.id: i for i, node in enumerate(nodes)}
    by_id = {node.id: node for node in nodes}
    children = solid_reports(edges, among=by_id)
    has_superior = {kid for kids in children.values() for kid in kids}
    for kids in children.values():
        kids.sort(key=order.__getitem__)

    shown: set = set()

    def build(node_id, path):
        # A role's own reports are listed once, where it first appears; later mentions point back.
        repeat = node_id in shown
        shown.add(node_id)
        kids = [] if repeat else [child for child in children[node_id] if child not in path]
        return {"node": by_id[node_id], "repeat": repeat, "children": [build(k, path | {k}) for k in kids]}

    result = [build(node.id, {node.id}) for node in nodes if node.id not in has_superior]
    # Roles caught in a solid cycle (invalid data) have no root above them: list them anyway.
    for node in nodes:
        if node.id not in shown:
            result.append(build(node.id, {node.id}))
    return result


# Choosing what to draw --------------------------------------------------------------------------
# The layout draws whatever it is given; these pick the part of a large organisation worth drawing.
# Both work on the nodes and edges already fetched, so a smaller picture costs no extra query.


@dataclass
class Selection:
    """The nodes and edges to lay out, and how many roles were left out below each kept one."""

    nodes: list[Node]
    edges: list[Edge]
    hidden: dict = field(default_factory=dict)  # kept node id -> ids of its solid reports left out


def neighbourhood(nodes: list[Node], edges: list[Edge], focus) -> Selection:
    """``focus``, its chain of solid superiors up to the top, its direct reports, and every line among them.

    Raises ``KeyError`` when ``focus`` is not one of the nodes.
    """
    by_id = {node.id: node for node in nodes}
    if focus not in by_id:
        raise KeyError(focus)
    superiors = solid_superiors(edges)
    keep = {focus}
    pending = [focus]
    while pending:  # every solid superior, transitively (a cycle stops at a node already kept)
        for superior in superiors[pending.pop()]:
            if superior not in keep and superior in by_id:
                keep.add(superior)
                pending.append(superior)
    keep.update(e.subordinate for e in edges if e.kind == SOLID and e.superior == focus and e.subordinate in by_id)
    return Selection(
        nodes=[node for node in nodes if node.id in keep],
        edges=[e for e in edges if e.subordinate in keep and e.superior in keep],
    )


def collapse(nodes: list[Node], edges: list[Edge], *, depth: int = 1) -> Selection:
    """Leave out the bottom ``depth`` levels of the solid tree, counting them under the role above.

    A role is left out when its solid reports, followed downwards, reach at most ``depth - 1``
    further levels — with ``depth=1``, every role with no solid reports of its own (the
    physicians of a hospital group) that has a solid superior. Roots are always kept, so a
    flat list of roles stays as it is. Each kept role remembers which of its direct solid
    reports were left out (a role with two solid superiors counts under both). ``depth=0``
    keeps everything.
    """
    if depth <= 0:
        return Selection(nodes=list(nodes), edges=list(edges))
    ids = {node.id for node in nodes}
    children = solid_reports(edges, among=ids)
    has_superior = {kid for kids in children.values() for kid in kids}
    # Height above the bottom of the solid tree (0 for a role with no reports), cycles cut.
    height = longest_paths([node.id for node in nodes], children)
    left_out = {i for i in ids if i in has_superior and height[i] < depth}
    hidden: dict = {}
    for superior, kids in children.items():
        if superior in left_out:
            continue
        gone = [kid for kid in kids if kid in left_out]
        if gone:
            hidden[superior] = gone
    return Selection(
        nodes=[node for node in nodes if node.id not in left_out],
        edges=[e for e in edges if e.subordinate not in left_out and e.superior not in left_out],
        hidden=hidden,
    )
