"""The chaos test's verdicts: each check must notice the failure it exists for, and pass a clean run."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "chaos_checks.py"


@pytest.fixture(scope="module")
def checks():
    spec = importlib.util.spec_from_file_location("chaos_checks", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos_checks"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    del sys.modules["chaos_checks"]


# --- Cycles ---------------------------------------------------------------------------------------


def test_a_chain_and_a_diamond_have_no_cycle(checks):
    assert checks.find_cycles([(1, 2), (2, 3), (3, 4)]) == []
    assert checks.find_cycles([(1, 2), (1, 3), (2, 4), (3, 4)]) == []


def test_two_lines_each_way_are_one_cycle(checks):
    assert checks.find_cycles([(5, 7), (7, 5)]) == [(5, 7)]


def test_a_cycle_is_found_whichever_role_the_walk_starts_from(checks):
    assert checks.find_cycles([(9, 4), (1, 2), (2, 3), (3, 1), (4, 1)]) == [(1, 2, 3)]
    assert checks.find_cycles([(3, 1), (2, 3), (1, 2)]) == [(1, 2, 3)]


def test_separate_cycles_are_counted_separately(checks):
    assert len(checks.find_cycles([(1, 2), (2, 1), (10, 11), (11, 12), (12, 10), (20, 21)])) == 2


# --- Half-written rows ------------------------------------------------------------------------


def record(checks, history_id, row, version, kind, value):
    return checks.HistoryRow(history_id, row, version, kind, value)


def test_rows_that_equal_their_newest_history_record_are_whole(checks):
    history = [
        record(checks, 1, 1, 1, "+", "a"),
        record(checks, 2, 1, 2, "~", "b"),
        record(checks, 3, 2, 1, "+", "x"),
        record(checks, 4, 2, 1, "-", "x"),
    ]

    assert checks.half_written({1: (2, "b")}, history) == []


def test_a_row_ahead_of_or_different_from_its_history_is_half_written(checks):
    history = [record(checks, 1, 1, 1, "+", "a")]

    assert checks.half_written({1: (2, "a")}, history) != []
    assert checks.half_written({1: (1, "b")}, history) != []


def test_a_row_without_history_or_with_a_deletion_record_is_half_written(checks):
    assert checks.half_written({1: (1, "a")}, []) == ["row 1 has no history"]
    history = [record(checks, 1, 1, 1, "+", "a"), record(checks, 2, 1, 1, "-", "a")]
    assert checks.half_written({1: (1, "a")}, history) == ["row 1 exists but its history says deleted"]


def test_a_row_gone_without_a_deletion_record_is_half_written(checks):
    assert checks.half_written({}, [record(checks, 1, 1, 1, "+", "a")]) == [
        "row 1 is gone without a deletion in its history"
    ]


# --- Lost writes -----------------------------------------------------------------------------


def test_acknowledged_creates_changes_and_deletes_that_the_database_holds_are_not_lost(checks):
    acked = [
        checks.Ack("create", 1, 1, "a"),
        checks.Ack("update", 1, 2, "b"),
        checks.Ack("create", 2, 1, "x"),
        checks.Ack("delete", 2),
    ]
    history = [
        record(checks, 1, 1, 1, "+", "a"),
        record(checks, 2, 1, 2, "~", "b"),
        record(checks, 3, 2, 1, "+", "x"),
        record(checks, 4, 2, 1, "-", "x"),
    ]

    assert checks.lost_writes(acked, {(1, "b")}, {2}, {1: (2, "b")}, history) == []


def test_a_change_missing_from_history_is_lost(checks):
    acked = [checks.Ack("update", 1, 2, "b")]

    assert checks.lost_writes(acked, {(1, "b")}, set(), {1: (2, "b")}, [record(checks, 1, 1, 1, "+", "a")]) == acked


def test_two_changes_acknowledged_at_one_version_lose_one(checks):
    acked = [checks.Ack("update", 1, 2, "b"), checks.Ack("update", 1, 2, "c")]
    history = [record(checks, 1, 1, 2, "~", "b"), record(checks, 2, 1, 2, "~", "c")]

    assert checks.Ack("update", 1, 2, "c") in checks.lost_writes(acked, set(), set(), {1: (2, "c")}, history)


def test_an_acknowledged_delete_of_a_row_still_there_is_lost(checks):
    acked = [checks.Ack("delete", 1)]

    assert checks.lost_writes(acked, set(), {1}, {1: (1, "a")}, [record(checks, 1, 1, 1, "+", "a")]) == acked


def test_a_row_gone_that_nobody_deleted_loses_its_writes(checks):
    acked = [checks.Ack("create", 1, 1, "a")]
    history = [record(checks, 1, 1, 1, "+", "a"), record(checks, 2, 1, 1, "-", "a")]

    assert checks.lost_writes(acked, set(), set(), {}, history) == acked
    assert checks.lost_writes(acked, set(), {1}, {}, history) == []


def test_a_newer_row_is_fine_only_if_a_client_sent_that_text(checks):
    acked = [checks.Ack("update", 1, 2, "b")]
    history = [record(checks, 1, 1, 2, "~", "b"), record(checks, 2, 1, 3, "~", "unanswered")]

    assert checks.lost_writes(acked, {(1, "unanswered")}, set(), {1: (3, "unanswered")}, history) == []
    assert checks.lost_writes(acked, set(), set(), {1: (3, "from nowhere")}, history) == acked


# --- Races ------------------------------------------------------------------------------------


def test_one_winner_and_refusals_is_a_clean_race(checks):
    verdict = checks.judge_race("x", [412, 200, 412, 409], winners={200}, losers={409, 412})

    assert (verdict.lost, verdict.wrong) == (0, [])


def test_two_winners_of_one_version_is_a_lost_write(checks):
    verdict = checks.judge_race("x", [200, 200, 412], winners={200}, losers={412})

    assert verdict.lost == 1


def test_no_winner_or_an_unexpected_answer_is_wrong(checks):
    assert checks.judge_race("x", [412, 412], winners={200}, losers={412}).wrong
    assert checks.judge_race("x", [200, 400], winners={200}, losers={412}).wrong
    assert checks.judge_race("x", [200, None], winners={200}, losers={412}).wrong
    # A 5xx is the tally's to count, not a second miss here.
    assert checks.judge_race("x", [200, 500], winners={200}, losers={412}).wrong == []


# --- Targets and the table --------------------------------------------------------------------


def test_a_clean_result_misses_nothing(checks):
    result = checks.Result("5 database stalls", requests=10, unavailable=4, time_to_503=2.5, recovery=0.3)
    result.expects_recovery = True

    assert result.misses() == []
    assert "yes" in checks.format_table("postgresql:", [result]).splitlines()[-1]


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"server_errors": 1}, "1 server errors"),
        ({"hung": 2}, "2 hung requests"),
        ({"wrong": ["x"]}, "1 wrong answers"),
        ({"lost": 1, "half_written": ["row 1 has no history"]}, "2 lost or half-written changes"),
        ({"cycles": 1}, "1 reporting cycles"),
        ({"time_to_503": 3.2}, "503 after 3.20s (target 3s)"),
        ({"recovery": None}, "did not recover"),
        ({"recovery": 45.0}, "did not recover"),
    ],
)
def test_each_missed_target_fails_the_scenario(checks, changes, missed):
    result = checks.Result("x", requests=10, recovery=1.0, expects_recovery=True)
    for name, value in changes.items():
        setattr(result, name, value)

    assert result.misses() == [missed]
    table = checks.format_table("db:", [result])
    assert f"MISSED x: {missed}" in table
    assert table.splitlines()[3].endswith("no")
