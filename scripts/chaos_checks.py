"""The chaos test's verdicts: pure functions over what the clients saw and what the database holds.

Kept free of I/O so the tests can prove each check notices what it is meant to
(tests/cmo_kb/test_chaos_verification.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

STALL_TARGET = 3.0  # seconds from a stalled database to a 503
RECOVERY_LIMIT = 30.0  # seconds after the database is back; slower counts as not recovered


# --- Reporting cycles --------------------------------------------------------------------------


def find_cycles(edges: Iterable[tuple[int, int]]) -> list[tuple[int, ...]]:
    """The cycles a walk along the solid lines (subordinate → superior) runs into, each once.

    Empty exactly when the lines form no cycle. Each cycle is given from its smallest role id.
    """
    graph: dict[int, list[int]] = {}
    for subordinate, superior in edges:
        graph.setdefault(subordinate, []).append(superior)
        graph.setdefault(superior, [])
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    found: set[tuple[int, ...]] = set()
    for root in graph:
        if root in state:
            continue
        path: list[int] = [root]
        state[root] = 1
        stack = [iter(graph[root])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                cycle = path[path.index(step) :]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif step not in state:
                state[step] = 1
                path.append(step)
                stack.append(iter(graph[step]))
    return sorted(found)


# --- Lost and half-written changes -------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    history_id: int  # order of the records
    id: int
    version: int
    type: str  # "+" created, "~" changed, "-" deleted
    value: object


@dataclass(frozen=True)
class Ack:
    """A write the server acknowledged: ``version`` and ``value`` as the answer reported them."""

    op: str  # "create", "update" or "delete"
    id: int
    version: int | None = None
    value: object = None


def half_written(current: dict[int, tuple[int, object]], history: list[HistoryRow]) -> list[str]:
    """Rows whose state and history disagree: each row must equal its newest history record.

    ``current`` maps each row's id to its (version, value). A row without history, a row whose
    version or value is not its newest record's, a deleted row still there or a row gone without a
    deletion record is a change written by half.
    """
    newest: dict[int, HistoryRow] = {}
    for record in sorted(history, key=lambda record: record.history_id):
        newest[record.id] = record
    problems = []
    for row_id, (version, value) in sorted(current.items()):
        record = newest.get(row_id)
        if record is None:
            problems.append(f"row {row_id} has no history")
        elif record.type == "-":
            problems.append(f"row {row_id} exists but its history says deleted")
        elif (record.version, record.value) != (version, value):
            problems.append(f"row {row_id} is version {version}, its history's newest is {record.version}")
    for row_id, record in sorted(newest.items()):
        if row_id not in current and record.type != "-":
            problems.append(f"row {row_id} is gone without a deletion in its history")
    return problems


def lost_writes(
    acked: list[Ack],
    attempted: set[tuple[int, object]],
    attempted_deletes: set[int],
    current: dict[int, tuple[int, object]],
    history: list[HistoryRow],
) -> list[Ack]:
    """Acknowledged writes the database does not hold.

    Each acknowledged create and change must be in the history at the version the server
    reported, no two at the same version; each acknowledged delete must have its deletion
    record and its row gone. A row's current state must be its newest acknowledged write, or
    a later one the clients sent (``attempted``: (id, value) pairs, answered or not); a row
    may only be gone if a client asked to delete it (``attempted_deletes``).
    """
    recorded = {(record.id, record.version, record.value) for record in history if record.type != "-"}
    deleted = {record.id for record in history if record.type == "-"}
    lost: list[Ack] = []
    seen: set[tuple[int, int | None]] = set()
    newest: dict[int, Ack] = {}
    for ack in acked:
        if ack.op == "delete":
            if ack.id not in deleted or ack.id in current:
                lost.append(ack)
            continue
        if (ack.id, ack.version) in seen or (ack.id, ack.version, ack.value) not in recorded:
            lost.append(ack)
        seen.add((ack.id, ack.version))
        if ack.id not in newest or (ack.version or 0) > (newest[ack.id].version or 0):
            newest[ack.id] = ack
    for row_id, ack in newest.items():
        if row_id not in current:
            if row_id not in attempted_deletes:
                lost.append(ack)
            continue
        version, value = current[row_id]
        if version < (ack.version or 0) or (version == ack.version and value != ack.value):
            lost.append(ack)
        elif version > (ack.version or 0) and (row_id, value) not in attempted:
            lost.append(ack)
    return lost


@dataclass
class RaceVerdict:
    lost: int = 0
    wrong: list[str] = field(default_factory=list)


def judge_race(
    name: str, statuses: list[int | None], *, winners: set[int], losers: set[int], wins: int = 1
) -> RaceVerdict:
    """One race's answers: exactly ``wins`` winners (more means a write was silently lost), the rest refused.

    Statuses of 500 and above are counted by the tally, not here; no answer at all is wrong.
    """
    verdict = RaceVerdict()
    won = sum(1 for status in statuses if status in winners)
    if won > wins:
        verdict.lost += won - wins
    elif won < wins:
        verdict.wrong.append(f"{name}: {won} of {wins} expected writes succeeded {sorted(map(str, statuses))}")
    for status in statuses:
        if status is None or (status not in winners | losers and status < 500):
            verdict.wrong.append(f"{name}: unexpected answer {status} {sorted(map(str, statuses))}")
    return verdict


# --- The table ---------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    requests: int = 0
    server_errors: int = 0
    unavailable: int = 0
    hung: int = 0
    wrong: list[str] = field(default_factory=list)
    lost: int = 0
    half_written: list[str] = field(default_factory=list)
    cycles: int = 0
    time_to_503: float | None = None  # measured only where the database stalls or restarts
    recovery: float | None = None
    expects_recovery: bool = False
    notes: list[str] = field(default_factory=list)

    def misses(self) -> list[str]:
        """The targets this scenario missed, in words; empty when it passed."""
        missed = []
        if self.server_errors:
            missed.append(f"{self.server_errors} server errors")
        if self.hung:
            missed.append(f"{self.hung} hung requests")
        if self.wrong:
            missed.append(f"{len(self.wrong)} wrong answers")
        if self.lost or self.half_written:
            missed.append(f"{self.lost + len(self.half_written)} lost or half-written changes")
        if self.cycles:
            missed.append(f"{self.cycles} reporting cycles")
        if self.time_to_503 is not None and self.time_to_503 > STALL_TARGET:
            missed.append(f"503 after {self.time_to_503:.2f}s (target {STALL_TARGET:.0f}s)")
        if self.expects_recovery and (self.recovery is None or self.recovery > RECOVERY_LIMIT):
            missed.append("did not recover")
        return missed


COLUMNS = ["scenario", "requests", "5xx", "503", "hung", "wrong", "lost/half", "cycles", "to 503", "recovery", "ok"]


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"


def format_table(title: str, results: list[Result]) -> str:
    rows = [
        [
            result.scenario,
            result.requests,
            result.server_errors,
            result.unavailable,
            result.hung,
            len(result.wrong),
            result.lost + len(result.half_written),
            result.cycles,
            seconds(result.time_to_503),
            seconds(result.recovery) if result.expects_recovery or result.recovery is not None else "-",
            "no" if result.misses() else "yes",
        ]
        for result in results
    ]
    widths = [max(len(str(row[i])) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = [title]
    for row in [COLUMNS, ["-" * width for width in widths], *rows]:
        cells = zip(row, widths, strict=True)
        lines.append("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(cells)))
    for result in results:
        for miss in result.misses():
            lines.append(f"MISSED {result.scenario}: {miss}")
        for detail in [*result.wrong, *result.half_written][:5]:
            lines.append(f"  {result.scenario}: {detail}")
    for result in results:
        for note in result.notes:
            lines.append(f"note {result.scenario}: {note}")
    return "\n".join(lines)
