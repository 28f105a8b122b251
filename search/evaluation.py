"""The relevance suite: run every case of ``search/relevance/cases.toml`` and score the ranking.

A search's results are role groups, best first (and matching duty categories, listed apart). A row
expected by a case is found at the position of the group that holds it (a role at its own group,
a duty, qualification, key fact or reporting line at its role's group; a category at its place in
the category list). Per case, recall@5 is the share of its expected rows found in the first five
groups, and the reciprocal rank is one over the position of the first expected row found (0 when
none is). A case that expects nothing scores 1 on both when the search finds nothing, else 0.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact

from .search import search_knowledge_base

CASES = Path(__file__).resolve().parent / "relevance" / "cases.toml"
CUTOFF = 5
LIMIT = 100
MODELS: dict[str, Any] = {"duty": Duty, "qualification": Qualification, "fact": RoleFact, "line": ReportingLine}


@dataclass
class Outcome:
    kind: str
    lang: str
    query: str
    expected: list[str]
    ranks: dict[str, int | None] = field(default_factory=dict)  # expected row -> position, None if not found
    found_anything: bool = False

    @property
    def recall(self) -> float:
        if not self.expected:
            return 0.0 if self.found_anything else 1.0
        return sum(1 for rank in self.ranks.values() if rank is not None and rank <= CUTOFF) / len(self.expected)

    @property
    def reciprocal_rank(self) -> float:
        if not self.expected:
            return 0.0 if self.found_anything else 1.0
        found = [rank for rank in self.ranks.values() if rank is not None]
        return 1.0 / min(found) if found else 0.0


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open("rb") as file:
        return tomllib.load(file)["case"]


def _resolve(keys: set[str]) -> dict[str, tuple[str, int]]:
    """Each expected key as (kind, primary key); a key the knowledge base lacks is an error."""
    resolved: dict[str, tuple[str, int]] = {}
    roles = dict(Role.objects.filter(slug__in=[k[5:] for k in keys if k.startswith("role:")]).values_list("slug", "pk"))
    categories = dict(
        DutyCategory.objects.filter(slug__in=[k[9:] for k in keys if k.startswith("category:")]).values_list(
            "slug", "pk"
        )
    )
    for key in keys:
        kind, _, rest = key.partition(":")
        if kind == "role" and rest in roles:
            resolved[key] = ("role", roles[rest])
        elif kind == "category" and rest in categories:
            resolved[key] = ("category", categories[rest])
        elif kind in MODELS:
            pk = MODELS[kind].objects.filter(seed_key=key).values_list("pk", flat=True).first()
            if pk is not None:
                resolved[key] = (kind, pk)
        if key not in resolved:
            raise LookupError(f"{key} is not in the knowledge base: load it first (manage.py load_kb)")
    return resolved


def evaluate(cases: list[dict]) -> list[Outcome]:
    resolved = _resolve({key for case in cases for key in case["expect"]})
    outcomes = []
    for case in cases:
        results = search_knowledge_base(case["q"], language=case["lang"], limit=LIMIT)
        positions: dict[tuple[str, int], int] = {}
        for position, group in enumerate(results.groups, start=1):
            positions.setdefault(("role", group.role.pk), position)
            for match in group.matches:
                if match.kind != "name":
                    positions.setdefault((match.kind, match.obj.pk), position)
        for position, (category, _rank) in enumerate(results.categories, start=1):
            positions.setdefault(("category", category.pk), position)
        outcome = Outcome(case["kind"], case["lang"], case["q"], case["expect"], found_anything=bool(positions))
        outcome.ranks = {key: positions.get(resolved[key]) for key in case["expect"]}
        outcomes.append(outcome)
    return outcomes
