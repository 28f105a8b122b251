"""The chaos test's stage: a database of its own (PostgreSQL or a SQLite file) read directly, to check."""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import psycopg
from chaos_checks import HistoryRow, Result, find_cycles, half_written, lost_writes
from chaos_client import Api, Tally, Writes
from soak_setup import drop_database, recreate_database

PG_HOST = "127.0.0.1:5432"

# What the checks compare for each kind of row: its table, its history table and its value columns.
TABLES = {
    "duty": ("responsibilities_duty", "responsibilities_historicalduty", "description_en"),
    "line": ("roles_reportingline", "roles_historicalreportingline", "subordinate_id, superior_id, kind"),
}


class Database:
    """One chaos database: the URL the app uses, and plain SQL reads for the checks."""

    def __init__(self, vendor: str, name: str, work_dir: Path, app_port: int | None = None):
        self.vendor, self.name = vendor, name
        if vendor == "postgresql":
            self.direct_url = f"postgresql://postgres@{PG_HOST}/{name}"
            # The app may reach it through a proxy on app_port (to stall it); the checks never do.
            host = f"127.0.0.1:{app_port}" if app_port else PG_HOST
            self.app_url = f"postgres://postgres@{host}/{name}"
        else:
            self.path = work_dir / f"{name}.sqlite3"
            self.app_url = f"sqlite:///{self.path}"

    def create(self) -> None:
        if self.vendor == "postgresql":
            recreate_database(self.name)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            drop_database(self.name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.vendor == "postgresql":
            with psycopg.connect(self.direct_url, connect_timeout=5) as conn:
                return conn.execute(sql, params).fetchall()
        conn = sqlite3.connect(self.path, timeout=20)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def current(self, kind: str) -> dict[int, tuple[int, object]]:
        table, _history, columns = TABLES[kind]
        return {row[0]: (row[1], value(row[2:])) for row in self.rows(f"SELECT id, version, {columns} FROM {table}")}  # noqa: S608

    def history(self, kind: str) -> list[HistoryRow]:
        _table, history, columns = TABLES[kind]
        sql = f"SELECT history_id, id, version, history_type, {columns} FROM {history}"  # noqa: S608
        return [HistoryRow(row[0], row[1], row[2], row[3], value(row[4:])) for row in self.rows(sql)]

    def solid_lines(self) -> list[tuple[int, int]]:
        return self.rows("SELECT subordinate_id, superior_id FROM roles_reportingline WHERE kind = %s", ("reports_to",))

    def kb_version(self) -> int:
        return self.rows("SELECT version FROM roles_knowledgebasestate")[0][0]

    def changes(self) -> int:
        """How many changes the history holds (one record per write of a duty or a line)."""
        return sum(self.rows(f"SELECT COUNT(*) FROM {history}")[0][0] for _t, history, _c in TABLES.values())  # noqa: S608

    def duty_for_races(self) -> tuple[str, str]:
        """A role slug and duty category slug new duties can be created under."""
        return self.rows(
            "SELECT r.slug, c.slug FROM responsibilities_duty d JOIN roles_role r ON r.id = d.role_id "
            "JOIN responsibilities_dutycategory c ON c.id = d.category_id ORDER BY d.id LIMIT 1"
        )[0]


def value(columns: tuple) -> object:
    return columns[0] if len(columns) == 1 else tuple(columns)


@dataclass
class Stage:
    """One database with one app server (gunicorn, 2 workers) in front of it, and the editor's token."""

    db: Database
    port: int
    token: str
    role: str  # where new duties go
    category: str

    def api(self, tally: Tally) -> Api:
        return Api(self.port, self.token, tally)

    def duty(self, text: str) -> dict:
        """A new duty's body."""
        return {
            "role": self.role,
            "category": self.category,
            "title_en": text[:80],
            "title_nb": text[:80],
            "description_en": text,
            "editorial": True,
        }

    def snapshot(self) -> tuple[int, int]:
        return self.db.kb_version(), self.db.changes()


def settle(
    stage: Stage,
    name: str,
    tally: Tally,
    writes: Writes,
    before: tuple[int, int] | None = None,
    *,
    connection_errors_allowed: bool = False,
) -> Result:
    """The scenario's row of the table: its answers, then what the database holds now."""
    result = Result(
        name,
        requests=tally.requests,
        server_errors=tally.server_errors,
        unavailable=tally.unavailable,
        hung=tally.hung,
        wrong=list(tally.wrong),
        lost=tally.lost,
    )
    if tally.connection_errors and not connection_errors_allowed:
        result.wrong.append(f"{tally.connection_errors} requests found no server")
    duties = stage.db.current("duty")
    duty_history = stage.db.history("duty")
    result.lost += len(lost_writes(writes.acked, writes.attempted, writes.attempted_deletes, duties, duty_history))
    if before is not None:
        check_versions(stage, tally, before)
    result.half_written = [
        *tally.half,
        *half_written(duties, duty_history),
        *half_written(stage.db.current("line"), stage.db.history("line")),
    ]
    result.cycles = len(find_cycles(stage.db.solid_lines()))
    return result


def check_versions(stage: Stage, tally: Tally, before: tuple[int, int]) -> None:
    """Each write of one duty or line bumps the knowledge base's version once, in its own transaction.

    So since ``before`` the version moved exactly as often as the history gained records: a
    change without its bump (or a bump without its change) was written by half.
    """
    version, changes = stage.snapshot()
    if version - before[0] != changes - before[1]:
        tally.half.append(f"knowledge-base version moved by {version - before[0]} for {changes - before[1]} changes")
