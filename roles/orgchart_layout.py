"""The org chart's drawing: a tidy tree laid out by igraph, with every line routed around the boxes.

1. **The drawn tree.** Each role hangs under the solid (``reports_to``) superior that sits
   lowest (longest path over solid lines), so every solid line points downwards; other kinds
   of line never move a box, and a solid cycle (invalid data) is cut, not followed.
2. **Stacks.** A role's reports that have no reports of their own hang in a column off a
   spine on the column's left when it also has reports with reports of their own, or more
   than ``STACK_OVER`` of them — so a department's physicians read as peers under their
   director, never as a chain of command or an endless row (the browser's chart does the
   same). A stack longer than ``STACK_ROWS`` continues in further columns.
3. **Coordinates.** igraph's Reingold–Tilford layout (C, milliseconds at thousands of roles)
   places the tree, children in the given order; a stack is a chain to it, so its boxes take
   a row each. Each depth is one row of equal-height boxes, and two boxes in a row are at
   least one box and one gutter apart, so the channels between rows and the gutter beside
   every box are free for lines.
4. **Routes**, as right angles: a report from its superior's bottom through the channel into
   its top, or along the stack's spine into its side; any other line through the channels
   and, across rows, down a gutter that is free in every row it passes (the chart's margin
   if no gutter nearby is), so no line crosses a box.

The same input always gives the same picture.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from .orgchart import SOLID, Edge, Node, longest_paths, solid_superiors

# More than this many reports without reports of their own are stacked in a column; a longer
# stack continues in further columns side by side.
STACK_OVER = 4
STACK_ROWS = 15

# Each kind of line takes its own height in a channel and its own place beside a box's centre
# and in a gutter, so a dotted line is not hidden behind a solid one that takes the same way.
LANE_OFFSET = {"reports_to": 0, "dotted": 6, "oversees": -6, "liaison": 12}
# A gutter's middle is a stack's spine: other lines run beside it.
GUTTER_OFFSET = {"reports_to": 8, "dotted": -8, "oversees": 4, "liaison": -4}


@dataclass
class Box:
    node: Node
    row: int  # depth in the drawn tree (a stack takes a row per box)
    x: float
    y: float
    width: float
    height: float
    lines: list[str] = field(default_factory=list)
    stacked: bool = False  # hangs off its superior's spine

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def text_lines(self) -> list[tuple[str, float]]:
        """The label's lines with their baselines, centred vertically together with the sublabel."""
        block = len(self.lines) * 16 + (15 if self.node.sublabel else 0)
        top = self.y + (self.height - block) / 2
        return [(line, top + 13 + i * 16) for i, line in enumerate(self.lines)]

    @property
    def sublabel_y(self) -> float:
        return self.text_lines[-1][1] + 15

    def overlaps(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass
class Route:
    edge: Edge
    points: list[tuple[float, float]]

    @property
    def path(self) -> str:
        first, *rest = self.points
        return f"M{first[0]:g} {first[1]:g}" + "".join(f" L{x:g} {y:g}" for x, y in rest)


@dataclass
class Layout:
    boxes: list[Box]
    routes: list[Route]
    width: float
    height: float
    parent: dict = field(default_factory=dict)  # node id -> its superior in the drawn tree

    def box_for(self, node_id) -> Box:
        return next(box for box in self.boxes if box.node.id == node_id)


@dataclass(frozen=True)
class Geometry:
    box_width: float = 184
    box_height: float = 60
    column_gap: float = 28  # the gutter between boxes, where a stack's spine runs
    row_gap: float = 56  # the channel between rows where horizontal runs go
    margin: float = 20
    chars_per_line: int = 22
    line_height: float = 16


def drawn_tree(ids: list, edges: list[Edge]) -> dict:
    """Each role's superior in the drawn tree: its solid superior in the lowest layer (first on a tie).

    A role's depth in the tree is then its longest solid path from the top, so every solid line
    points downwards. Roles without one (the top, or a solid cycle in bad data) are roots.
    """
    layer = longest_paths(ids, solid_superiors(edges))
    parent: dict = {}
    for edge in edges:
        if edge.kind != SOLID or layer[edge.superior] >= layer[edge.subordinate]:
            continue  # a line that closes a solid cycle
        current = parent.get(edge.subordinate)
        if current is None or layer[edge.superior] > layer[current]:
            parent[edge.subordinate] = edge.superior
    return parent


def layout(nodes: list[Node], edges: list[Edge], geometry: Geometry | None = None) -> Layout:
    """Place ``nodes`` (in their preferred order) and route ``edges`` between them."""
    g = geometry or Geometry()
    ids = [node.id for node in nodes]
    known = set(ids)
    if len(known) != len(ids):
        raise ValueError("Node ids must be unique.")
    edges = [e for e in edges if e.subordinate in known and e.superior in known and e.subordinate != e.superior]
    parent = drawn_tree(ids, edges)
    children: defaultdict = defaultdict(list)
    for node_id in ids:
        if node_id in parent:
            children[parent[node_id]].append(node_id)

    # Number the boxes depth-first, children in order and the stack after the other reports:
    # igraph places a box's children in the order of their numbers. A stack's column is a chain.
    has_reports = {e.superior for e in edges if e.kind == SOLID}
    number: dict = {}
    row: dict = {}
    links: list[tuple[int, int]] = []
    stacked: set = set()
    roots = [node_id for node_id in ids if node_id not in parent]
    pending: list[tuple[Hashable, Hashable | None, int]] = [(root, None, 0) for root in reversed(roots)]
    while pending:
        node_id, above, depth = pending.pop()
        number[node_id] = len(number)
        row[node_id] = depth
        if above is not None:
            links.append((number[above], number[node_id]))
        kids = children.get(node_id, [])
        # Only a role with no solid reports at all is stacked, so no solid line starts at one.
        leaves = [kid for kid in kids if kid not in has_reports]
        branches = [kid for kid in kids if kid in has_reports]
        if not branches and len(leaves) <= STACK_OVER:
            branches, leaves = kids, []
        stacked.update(leaves)
        # Popped in reverse: the branches first, then each column of the stack, a box under the one before.
        for column in reversed(_columns(leaves)):
            chain = [node_id, *column]
            pending.extend((leaf, chain[i], depth + 1 + i) for i, leaf in reversed(list(enumerate(column))))
        pending.extend((kid, node_id, depth + 1) for kid in reversed(branches))

    import igraph  # here, not at the top: ~10 MB a process that never draws the chart

    tree = igraph.Graph(n=len(ids), edges=links, directed=True)
    coords = tree.layout_reingold_tilford(mode="out", root=[number[r] for r in roots]).coords if ids else []
    left = min((x for x, _y in coords), default=0)

    # Full titles, wrapped: every box is as tall as the longest title needs, so rows stay aligned.
    labels = {node.id: wrap_label(node.label, g.chars_per_line) for node in nodes}
    most_lines = max((len(lines) for lines in labels.values()), default=1)
    box_height = max(g.box_height, 22 + most_lines * g.line_height + 15)
    pitch_x = g.box_width + g.column_gap
    pitch_y = box_height + g.row_gap
    boxes = {
        node.id: Box(
            node=node,
            row=row[node.id],
            x=g.margin + (coords[number[node.id]][0] - left) * pitch_x,
            y=g.margin + row[node.id] * pitch_y,
            width=g.box_width,
            height=box_height,
            lines=labels[node.id],
            stacked=node.id in stacked,
        )
        for node in nodes
    }
    width = max((b.right for b in boxes.values()), default=g.margin + g.box_width) + g.margin
    height = 2 * g.margin + (max(row.values(), default=0) + 1) * pitch_y - g.row_gap
    router = _Router(boxes, g, width)
    routes = [router.route(edge, parent.get(edge.subordinate) == edge.superior) for edge in edges]
    return Layout(boxes=[boxes[i] for i in ids], routes=routes, width=width, height=height, parent=parent)


class _Router:
    def __init__(self, boxes: dict, g: Geometry, width: float):
        self.boxes = boxes
        self.g = g
        self.width = width
        lefts: defaultdict = defaultdict(list)
        for box in boxes.values():
            lefts[box.row].append(box.x)
        self.lefts = {r: sorted(xs) for r, xs in lefts.items()}

    def route(self, edge: Edge, in_tree: bool) -> Route:
        """Right-angled route between the two boxes, through channels and gutters only."""
        g = self.g
        superior, subordinate = self.boxes[edge.superior], self.boxes[edge.subordinate]
        half = g.row_gap / 2
        if in_tree and edge.kind == SOLID:
            start = (superior.cx, superior.bottom)
            channel = superior.bottom + half
            if subordinate.stacked:  # along the spine in the gutter on the stack's left, into the box's side
                spine = subordinate.x - g.column_gap / 2
                points = [start, (superior.cx, channel), (spine, channel), (spine, subordinate.cy)]
                return Route(edge, [*points, (subordinate.x, subordinate.cy)])
            points = [start, (superior.cx, channel), (subordinate.cx, channel)]
            return Route(edge, [*points, (subordinate.cx, subordinate.y)])

        upper, lower = sorted((superior, subordinate), key=lambda b: (b.row, b.x))
        lane = LANE_OFFSET.get(edge.kind, 0)
        ux, lx = upper.cx + 2 * lane, lower.cx + 2 * lane
        below_upper = upper.bottom + half + lane
        start = (ux, upper.bottom)
        if upper.row == lower.row:  # down into the channel, across, and back up
            return Route(edge, [start, (ux, below_upper), (lx, below_upper), (lx, lower.bottom)])
        if lower.row == upper.row + 1:
            return Route(edge, [start, (ux, below_upper), (lx, below_upper), (lx, lower.y)])
        # Rows apart: along the channel to a gutter free in every row between, down it, across
        # the channel above the lower box and into its top.
        above_lower = lower.y - half + lane
        corridor = self._corridor(upper, lower, GUTTER_OFFSET.get(edge.kind, 0))
        points = [start, (ux, below_upper), (corridor, below_upper), (corridor, above_lower)]
        return Route(edge, [*points, (lx, above_lower), (lx, lower.y)])

    def _corridor(self, upper: Box, lower: Box, offset: float) -> float:
        """An x between the two boxes' rows that no box in the rows between covers: a nearby gutter or the margin."""
        gap = self.g.column_gap / 2
        candidates = [lower.x - gap, lower.right + gap, upper.x - gap, upper.right + gap]
        for x in (c + offset for c in candidates):
            if all(self._free(r, x) for r in range(upper.row + 1, lower.row)):
                return x
        margin = self.g.margin / 2
        return margin if lower.cx < self.width / 2 else self.width - margin

    def _free(self, row: int, x: float) -> bool:
        lefts = self.lefts.get(row, [])
        i = bisect_left(lefts, x)  # the box starting at or after x; the one before may cover it
        return i == 0 or lefts[i - 1] + self.g.box_width <= x


def _columns(leaves: list) -> list[list]:
    """A stack in columns of at most ``STACK_ROWS`` boxes, as even as they go."""
    if not leaves:
        return []
    count = -(-len(leaves) // STACK_ROWS)
    per = -(-len(leaves) // count)
    return [leaves[i : i + per] for i in range(0, len(leaves), per)]


def wrap_label(label: str, width: int) -> list[str]:
    """The whole label on lines of about ``width`` characters (a longer word keeps its own line)."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line or not lines else lines
