"""Layered layout for the org chart, in plain Python (no database, no Django).

The picture follows the Sugiyama recipe, simplified for an org chart:

1. **Layers** by longest path over the solid (``reports_to``) lines: a role sits one layer
   below the lowest of its solid superiors. Other kinds of line never move a box, so a
   dotted line that points "upwards" or closes a loop cannot break the layout.
2. **Order** within each layer by repeated barycentre sweeps (down, then up) over all
   lines between adjacent layers, which removes most crossings.
3. **Coordinates** on one column grid shared by every layer. A layer wider than
   ``max_columns`` wraps onto several rows, so hundreds of roles stay a readable shape
   rather than one endless row. Because every box sits in a grid cell, the gutters
   between columns and the channels between rows are always free, and each line is routed
   through them as right angles: it never crosses a box.

Everything is linear in the number of roles and lines apart from sorting within layers.
The same input always gives the same picture.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .orgchart import Edge, Node, longest_paths, solid_reports, solid_superiors

# Horizontal runs of different kinds use slightly different heights in a channel, so a
# dotted line is not hidden behind a solid one that takes the same route.
LANE_OFFSET = {"reports_to": 0, "dotted": 6, "oversees": -6, "liaison": 12}


@dataclass
class Box:
    node: Node
    layer: int
    row: int  # absolute row in the grid (a wrapped layer takes several)
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: list[str] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

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
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


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

    def box_for(self, node_id) -> Box:
        return next(box for box in self.boxes if box.node.id == node_id)


@dataclass(frozen=True)
class Geometry:
    box_width: float = 184
    box_height: float = 60
    column_gap: float = 28
    row_gap: float = 56  # the channel between rows where horizontal runs go
    margin: float = 20
    max_columns: int = 8
    chars_per_line: int = 22
    line_height: float = 16


def assign_layers(node_ids: list, edges: Iterable[Edge]) -> dict:
    """Longest-path layers over solid lines. A solid cycle (invalid data) is cut, not followed."""
    return longest_paths(node_ids, solid_superiors(edges))


def order_layers(layers: list[list], edges: list[Edge], layer_of: dict, sweeps: int = 4) -> list[list]:
    """Barycentre ordering: each node moves towards the mean position of its neighbours."""
    up = defaultdict(list)  # neighbours in the layer above
    down = defaultdict(list)  # neighbours in the layer below
    for edge in edges:
        a, b = edge.superior, edge.subordinate
        if layer_of[a] == layer_of[b]:
            continue
        top, bottom = (a, b) if layer_of[a] < layer_of[b] else (b, a)
        if layer_of[bottom] - layer_of[top] == 1:
            down[top].append(bottom)
            up[bottom].append(top)
    layers = [list(layer) for layer in layers]

    def sweep(indices, neighbours):
        for i in indices:
            reference = layers[i - 1] if neighbours is up else layers[i + 1]
            position = {node: p for p, node in enumerate(reference)}
            current = {node: p for p, node in enumerate(layers[i])}

            def key(node, position=position, current=current):
                linked = [position[n] for n in neighbours[node] if n in position]
                return (sum(linked) / len(linked) if linked else current[node], current[node])

            layers[i].sort(key=key)

    for _ in range(sweeps):
        sweep(range(1, len(layers)), up)
        sweep(range(len(layers) - 2, -1, -1), down)
    return layers


def _spread(desired: list[float], columns: int) -> list[int]:
    """Integer columns in the given order, as close to the desired ones as the grid allows."""
    result: list[int] = []
    for want in desired:
        col = max(0, round(want))
        if result:
            col = max(col, result[-1] + 1)
        result.append(col)
    limit = columns - 1
    for i in range(len(result) - 1, -1, -1):
        limit = min(result[i], limit)
        result[i] = limit
        limit -= 1
    return result


def layout(nodes: list[Node], edges: list[Edge], geometry: Geometry | None = None) -> Layout:
    """Place ``nodes`` (in their preferred order) and route ``edges`` between them."""
    g = geometry or Geometry()
    ids = [node.id for node in nodes]
    known = set(ids)
    if len(known) != len(ids):
        raise ValueError("Node ids must be unique.")
    edges = [e for e in edges if e.subordinate in known and e.superior in known and e.subordinate != e.superior]
    layer_of = assign_layers(ids, edges)
    by_layer: list[list] = [[] for _ in range(max(layer_of.values(), default=-1) + 1)]
    for node_id in ids:
        by_layer[layer_of[node_id]].append(node_id)
    by_layer = order_layers(by_layer, edges, layer_of)

    columns = max([min(len(layer), g.max_columns) for layer in by_layer], default=0)
    column_of: dict = {}
    row_in_layer: dict = {}
    parents = solid_superiors(edges)
    children = solid_reports(edges)

    for layer in by_layer:
        # A layer narrower than the grid starts centred; a wrapped one fills it row by row.
        offset = (columns - len(layer)) // 2 if len(layer) <= columns else 0
        for i, node_id in enumerate(layer):
            row_in_layer[node_id] = i // columns
            column_of[node_id] = offset + i % columns

    def place(layer, linked):
        if len(layer) > columns:  # wrapped layers keep their plain reading order
            return
        desired = []
        for node_id in layer:
            cols = [column_of[n] for n in linked[node_id] if n in column_of]
            desired.append(sum(cols) / len(cols) if cols else column_of[node_id])
        for node_id, col in zip(layer, _spread(desired, columns), strict=True):
            column_of[node_id] = col

    # Pull children under their superiors, then superiors over their children.
    for layer in by_layer[1:]:
        place(layer, parents)
    for layer in reversed(by_layer[:-1]):
        place(layer, children)

    first_row = []
    row = 0
    for layer in by_layer:
        first_row.append(row)
        row += max(1, math.ceil(len(layer) / columns)) if columns else 1

    # Full titles, wrapped: every box is as tall as the longest title needs, so rows stay aligned.
    labels = {node.id: wrap_label(node.label, g.chars_per_line) for node in nodes}
    most_lines = max((len(lines) for lines in labels.values()), default=1)
    box_height = max(g.box_height, 22 + most_lines * g.line_height + 15)
    pitch_x = g.box_width + g.column_gap
    pitch_y = box_height + g.row_gap
    boxes: dict = {}
    for node in nodes:
        layer = layer_of[node.id]
        absolute_row = first_row[layer] + row_in_layer[node.id]
        boxes[node.id] = Box(
            node=node,
            layer=layer,
            row=absolute_row,
            column=column_of[node.id],
            x=g.margin + column_of[node.id] * pitch_x,
            y=g.margin + absolute_row * pitch_y,
            width=g.box_width,
            height=box_height,
            lines=labels[node.id],
        )
    total_rows = row
    width = 2 * g.margin + max(columns, 1) * pitch_x - g.column_gap
    height = 2 * g.margin + max(total_rows, 1) * pitch_y - g.row_gap

    routes = [_route(edge, boxes, g) for edge in edges]
    return Layout(boxes=[boxes[i] for i in ids], routes=routes, width=width, height=height)


def _route(edge: Edge, boxes: dict, g: Geometry) -> Route:
    """Right-angled route from the upper box's bottom to the lower box's top, through free space."""
    a, b = boxes[edge.superior], boxes[edge.subordinate]
    upper, lower = (a, b) if (a.row, a.column) <= (b.row, b.column) else (b, a)
    lane = LANE_OFFSET.get(edge.kind, 0)
    below_upper = upper.bottom + g.row_gap / 2 + lane
    start = (upper.cx, upper.bottom)
    if upper.row == lower.row:
        # Same row: down into the channel, across, and back up.
        return Route(edge, [start, (upper.cx, below_upper), (lower.cx, below_upper), (lower.cx, lower.bottom)])
    end = (lower.cx, lower.y)
    if lower.row == upper.row + 1:
        return Route(edge, [start, (upper.cx, below_upper), (lower.cx, below_upper), end])
    # Several rows apart (a wrapped layer's later rows): along the channel to the gutter beside
    # the lower box, down the gutter (gutters are free in every row) and into the box's side.
    # Entering from the side, never from the row above, it cannot look like a report of the
    # box above it.
    side = -1 if lower.column <= upper.column else 1
    gutter = lower.cx + side * (g.box_width + g.column_gap) / 2
    middle = lower.y + lower.height / 2 + lane
    edge_x = lower.x if side < 0 else lower.x + lower.width
    return Route(edge, [start, (upper.cx, below_upper), (gutter, below_upper), (gutter, middle), (edge_x, middle)])


def wrap_label(label: str, width: int) -> list[str]:
    """The whole label on lines of about ``width`` characters (a longer word keeps its own line)."""
    return textwrap.wrap(label, width=width, break_long_words=False) or [""]
