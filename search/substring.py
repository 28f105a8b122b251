"""Matching elsewhere (SQLite): rows where every word of the query occurs in one of the row's fields."""

from functools import reduce
from operator import or_

from django.db.models import Q

from .targets import Target


def find(target: Target, terms: list[str], limit: int) -> list[tuple[object, float]]:
    """Rows where every term occurs in one of the fields (case-insensitive), ranked in Python. One query."""
    condition = Q()
    for term in terms:
        condition &= reduce(or_, [Q(**{f"{name}__icontains": term}) for name in target.fields])
    rows = list(target.rows().filter(condition).order_by("pk")[: limit * 4])

    def rank(row: object) -> float:
        # Terms found in a name count double: a title match says more than one in a description.
        score = 0.0
        for term in terms:
            if any(term in (getattr(row, name) or "").casefold() for name in target.names):
                score += 2.0
            elif any(term in (getattr(row, name) or "").casefold() for name in target.fields):
                score += 1.0
        return score / (2.0 * len(terms))

    ranked = sorted(((row, rank(row)) for row in rows), key=lambda pair: -pair[1])
    return ranked[:limit]
