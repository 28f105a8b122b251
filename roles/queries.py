"""Reads that cross relations, shaped so each page costs a fixed number of queries."""

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language

from knowledge import version as kb_version

from . import orgchart
from .models import ReportingLine, Role

# What the expensive views compute from many rows, kept per process by the version of what they show
# (knowledge.version): the org chart's rows and nodes by "structure", the directory's orderings by
# "directory". At 10,000 roles, building the org chart's rows and nodes took ~0.5 s of every request;
# now a request after a change does it. The least recently used entries go past KEPT_ENTRIES (the
# directory keeps one per filter asked for, and filters are whatever a reader types).
KEPT_ENTRIES = 128
_KEPT: OrderedDict[str, tuple[str, Any]] = OrderedDict()
_KEPT_LOCK = threading.Lock()


def structure_version() -> str:
    """The version of what the org chart shows. One query."""
    return kb_version.scoped((kb_version.STRUCTURE,))


def kept(name: str, version: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, computed again only when ``version`` (of what it shows) moved."""
    with _KEPT_LOCK:
        entry = _KEPT.get(name)
        if entry is not None and entry[0] == version:
            _KEPT.move_to_end(name)
            return entry[1]
    value = compute()
    with _KEPT_LOCK:
        _KEPT[name] = (version, value)
        _KEPT.move_to_end(name)
        while len(_KEPT) > KEPT_ENTRIES:
            _KEPT.popitem(last=False)
    return value


def forget_precomputed() -> None:
    """Drop what ``kept`` keeps (tests, whose rolled-back writes leave versions behind)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def org_chart_graph(version: str | None = None) -> tuple[list[Role], list[tuple[int, int, str]]]:
    """Every role and every reporting line as (subordinate id, superior id, kind).

    Three queries (the structure version, roles, lines), or one while nothing they show changed.
    """
    version = version or structure_version()
    return kept("graph", version, lambda: _org_chart_graph(version))


def org_chart_nodes(version: str | None = None):
    """``org_chart_graph`` with its nodes and edges (labels in the active language) and roles by id."""
    version = version or structure_version()
    roles, lines = org_chart_graph(version)
    nodes, edges = kept(f"nodes:{get_language()}", version, lambda: orgchart.graph(roles, lines))
    by_id = kept("by_id", version, lambda: {role.pk: role for role in roles})
    return roles, lines, nodes, edges, by_id


def org_chart_client_graph(version: str | None = None) -> bytes:
    """The whole graph as JSON for the interactive chart, labels in the active language, kept per version.

    Nodes are ``[slug, title, abbreviation, level]`` and edges ``[subordinate, superior, kind]`` as
    indexes into the nodes: 10,000 roles are about 1 MB, built once per structure change and language.
    """
    version = version or structure_version()
    roles, lines = org_chart_graph(version)

    def build() -> bytes:
        index = {role.pk: i for i, role in enumerate(roles)}
        graph = {
            "nodes": [[role.slug, role.title, role.abbreviation, role.level] for role in roles],
            "edges": [[index[sub], index[sup], kind] for sub, sup, kind in lines if sub in index and sup in index],
        }
        return json.dumps(graph, ensure_ascii=False, separators=(",", ":")).encode()

    return kept(f"client:{get_language()}", version, build)


def org_chart_roles_kept(version: str) -> list[Role]:
    """Every role as the org chart shows it, kept per structure version (the chart and the API share them)."""
    return kept("roles", version, org_chart_roles)


def _org_chart_graph(version: str) -> tuple[list[Role], list[tuple[int, int, str]]]:
    roles = org_chart_roles_kept(version)
    lines = list(
        ReportingLine.objects.order_by("superior__position", "subordinate__position", "kind", "pk").values_list(
            "subordinate_id", "superior_id", "kind"
        )
    )
    return roles, lines


def org_chart_roles() -> list[Role]:
    return list(Role.objects.only("pk", "slug", "title", "abbreviation", "level", "position"))


def org_chart_lines() -> list[dict]:
    """Every reporting line in the org chart's order, with its id, note (both languages) and editorial flag."""
    rows = ReportingLine.objects.order_by("superior__position", "subordinate__position", "kind", "pk")
    return [
        dict(row)
        for row in rows.values("pk", "subordinate_id", "superior_id", "kind", "note_en", "note_nb", "editorial")
    ]


def role_choices() -> list[tuple[str, str]]:
    """(slug, title) of every role, for pickers. One query."""
    return [(role.slug, role.title) for role in Role.objects.only("pk", "slug", "title", "position")]
