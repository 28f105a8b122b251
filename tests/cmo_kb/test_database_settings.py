"""The database settings make concurrent writers wait on SQLite and a sick PostgreSQL fail fast."""

import time

import pytest
from django.db.utils import ConnectionHandler

from cmo_kb.env import database

from kb_testing import run_together


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


def connect(config):
    return ConnectionHandler({"default": config})["default"]


def two_writers_at_once(config) -> list[str]:
    """Two transactions that read, pause and then write the same table at the same moment; their errors."""
    setup = connect(config)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE note (writer INTEGER)")
    setup.close()

    def write(number):
        wrapper = connect(config)
        try:
            wrapper.ensure_connection()
            # What transaction.atomic() does first: BEGIN, in the configured mode.
            wrapper._start_transaction_under_autocommit()
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM note")
                time.sleep(0.3)  # hold the transaction open while the other writer arrives
                cursor.execute("INSERT INTO note VALUES (%s)", [number])
            wrapper.commit()
        finally:
            wrapper.close()

    results = run_together(lambda: write(1), lambda: write(2))
    return [str(result) for result in results if isinstance(result, Exception)]


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    config = database(f"sqlite:///{tmp_path / 'kb.sqlite3'}")

    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 10
    wrapper = connect(config)
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    wrapper.close()


def test_two_sqlite_writers_at_once_both_commit_the_second_waits(tmp_path):
    config = database(f"sqlite:///{tmp_path / 'kb.sqlite3'}")

    assert two_writers_at_once(config) == []
    check = connect(config)
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        assert cursor.fetchone()[0] == 2
    check.close()


def test_with_sqlites_default_transactions_the_same_writers_collide(tmp_path):
    """The guard above is real: DEFERRED transactions fail when the second upgrades its lock."""
    config = database(f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    config["OPTIONS"] = {**config["OPTIONS"], "transaction_mode": "DEFERRED", "timeout": 0.1}

    assert two_writers_at_once(config) == ["database is locked"]


def test_postgresql_connections_fail_fast_and_notice_dead_peers():
    config = database("postgres://kb@db.example.org:5432/kb")
    options = config["OPTIONS"]

    assert config["ENGINE"] == "cmo_kb.postgresql"
    assert options["connect_timeout"] <= 3
    assert (options["keepalives"], options["tcp_user_timeout"]) == (1, 5000)
    assert "statement_timeout=" in options["options"]
    assert "idle_in_transaction_session_timeout=" in options["options"]
