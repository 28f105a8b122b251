"""A restore checks the cycle rule for all lines at once: the same verdicts as checking line by line."""

import random

from knowledge import rules


def closes_a_cycle(edges, index) -> bool:
    """The line-by-line rule: does line ``index`` close a cycle with the other lines?"""
    subordinate, superior = edges[index]
    others = edges[:index] + edges[index + 1 :]
    return rules.find_cycle(others, subordinate=subordinate, superior=superior) is not None


def test_a_graph_has_a_cycle_exactly_when_some_line_closes_one():
    generator = random.Random(20260101)
    for _trial in range(500):
        nodes = generator.randint(2, 8)
        edges = list(
            {
                (a, b)
                for a, b in (
                    (generator.randrange(nodes), generator.randrange(nodes)) for _ in range(generator.randint(0, 12))
                )
                if a != b
            }
        )
        assert rules.has_cycle(edges) == any(closes_a_cycle(edges, i) for i in range(len(edges))), edges


def test_chains_and_trees_have_no_cycle_and_a_loop_has_one():
    assert not rules.has_cycle([])
    assert not rules.has_cycle([(1, 2), (2, 3), (4, 3), (5, 1)])
    assert rules.has_cycle([(1, 2), (2, 3), (3, 1), (4, 1)])
