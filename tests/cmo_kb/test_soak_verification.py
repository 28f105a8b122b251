"""The soak test's lost-update check: it must notice every way an acknowledged write can vanish."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("soak", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def writes(soak, *items):
    return [soak.Write(duty, value, version, "1") for duty, value, version in items]


def test_writes_in_history_with_the_newest_current_are_not_lost(soak):
    acked = writes(soak, (1, "a", 2), (1, "b", 3))
    history = {(1, 1, "seed"), (1, 2, "a"), (1, 3, "b")}

    assert soak.find_lost(acked, {(1, "a"), (1, "b")}, history, {1: (3, "b")}) == []


def test_a_write_missing_from_history_is_lost(soak):
    acked = writes(soak, (1, "a", 2), (1, "b", 3))
    history = {(1, 1, "seed"), (1, 3, "b")}

    assert soak.find_lost(acked, set(), history, {1: (3, "b")}) == [acked[0]]


def test_two_acknowledged_writes_with_the_same_version_is_a_lost_update(soak):
    acked = writes(soak, (1, "a", 2), (1, "b", 2))
    history = {(1, 2, "a"), (1, 2, "b")}

    lost = soak.find_lost(acked, set(), history, {1: (2, "b")})

    assert acked[1] in lost and len(lost) == 2


def test_a_current_row_older_than_an_acknowledged_write_is_a_lost_update(soak):
    acked = writes(soak, (1, "a", 2))

    assert soak.find_lost(acked, set(), {(1, 2, "a")}, {1: (1, "seed")}) == acked


def test_a_newer_row_is_fine_only_if_an_editor_sent_that_text(soak):
    acked = writes(soak, (1, "a", 2))
    history = {(1, 2, "a"), (1, 3, "unanswered")}

    assert soak.find_lost(acked, {(1, "a"), (1, "unanswered")}, history, {1: (3, "unanswered")}) == []
    assert soak.find_lost(acked, {(1, "a")}, history, {1: (3, "from nowhere")}) == acked
