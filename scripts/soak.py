"""Load and fault test: two app servers on one PostgreSQL under concurrent reads and edits.

    python scripts/soak.py [--duration 60]      (or: make soak)

Creates its own database (kb_soak), migrates it, loads the knowledge base, gives
an editor an API token and starts two gunicorn servers on loopback. Then three
phases of --duration seconds each, with readers fetching role pages and the API
and editors changing a few shared duties through the API (PATCH with If-Match):

1. steady state;
2. one app server is killed with SIGKILL and restarted mid-run (clients move to
   the other server; errors on the dead server's connections are counted as
   connection errors);
3. PostgreSQL restarts mid-run (requests in the gap get 503, never hang).

Every acknowledged write (200) is remembered with the version it produced. At
the end of each phase the database is checked: each acknowledged write must be
in the duty's history at its version and the current row must hold the newest
write; a write that is missing is a lost update. Conflicts (409/412) are
refusals, not losses. Prints a table and exits non-zero on any 5xx other than an
outage's 503, any lost update, any hung request, or a 503 outside phase 3.

Loopback only, bounded (stops itself after --deadline seconds), and it drops its
database at the end.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

# The soak_* modules beside this file, also when this file is loaded by path rather than run.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_load import Load, Stats, Write, detect_edit_path
from soak_setup import AppServer, app_env, drop_database, prepare, recreate_database, wait_healthy


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Verification -----------------------------------------------------------------------------


def lost_updates(database_url: str, load: Load) -> list[Write]:
    """Acknowledged writes that are not in the final state and were not superseded."""
    with psycopg.connect(database_url) as conn:
        history = set(
            conn.execute(
                "SELECT id, version, description_en FROM responsibilities_historicalduty WHERE id = ANY(%s)",
                (load.duties,),
            ).fetchall()
        )
        current = {
            duty_id: (version, text)
            for duty_id, version, text in conn.execute(
                "SELECT id, version, description_en FROM responsibilities_duty WHERE id = ANY(%s)", (load.duties,)
            ).fetchall()
        }
    versions = {(duty, text): version for duty, version, text in history}
    for write in load.acknowledged:
        if write.version is None:  # a form save: the page does not say which version it made
            write.version = versions.get((write.duty, write.value), -1)
    return find_lost(load.acknowledged, set(load.attempted), history, current)


def find_lost(
    acknowledged: list[Write],
    attempted: set[tuple[int, str]],
    history: set[tuple[int, int, str]],
    current: dict[int, tuple[int, str]],
) -> list[Write]:
    """The acknowledged writes the database lost.

    ``history`` holds (duty, version, text) for every saved state, ``current`` each duty's
    (version, text) now, ``attempted`` every (duty, text) an editor sent, answered or not.
    """
    lost = []
    newest: dict[int, Write] = {}
    seen_versions: set[tuple[int, int]] = set()
    for write in acknowledged:
        # Not saved at the version the server reported, or two acknowledged writes claiming
        # the same version (one silently overwrote the other).
        if (write.duty, write.version) in seen_versions or (write.duty, write.version, write.value) not in history:
            lost.append(write)
        seen_versions.add((write.duty, write.version))
        if write.duty not in newest or write.version > newest[write.duty].version:
            newest[write.duty] = write
    for duty, write in newest.items():
        version, text = current[duty]
        if version < write.version or (version == write.version and text != write.value):
            lost.append(write)
        # Newer than the newest acknowledged write: only a sent write whose answer was lost may explain it.
        elif version > write.version and (duty, text) not in attempted:
            lost.append(write)
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase (default 60)")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument(
        "--duties", type=int, default=6, help="how many duties the editors share (fewer: more conflicts)"
    )
    parser.add_argument(
        "--edit-through",
        choices=["api", "forms"],
        help="how editors write: the API (PATCH with If-Match) or the edit pages (default: the API if it takes writes)",
    )
    parser.add_argument("--database", default="kb_soak")
    parser.add_argument("--ports", default="8191,8192")
    parser.add_argument("--pg-cluster", default="15 main", help="version and name for pg_ctlcluster")
    parser.add_argument("--skip-db-restart", action="store_true", help="leave out phase 3")
    parser.add_argument("--deadline", type=float, default=290, help="abort the whole run after this many seconds")
    args = parser.parse_args()

    started = time.monotonic()
    watchdog = threading.Timer(args.deadline, lambda: os.kill(os.getpid(), signal.SIGTERM))
    watchdog.daemon = True
    watchdog.start()

    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    work_dir = Path(tempfile.mkdtemp(prefix="kb-soak-"))
    env = app_env(database_url, work_dir)
    servers = [AppServer(f"app{n + 1}", int(port), env, work_dir) for n, port in enumerate(args.ports.split(","))]

    def terminate(signum, frame):
        raise SystemExit(f"soak: stopped after {time.monotonic() - started:.0f}s (deadline or signal)")

    signal.signal(signal.SIGTERM, terminate)
    try:
        log(f"creating database {args.database}, migrating, loading the knowledge base")
        recreate_database(args.database)
        token = prepare(env)
        with psycopg.connect(database_url) as conn:
            duties = dict(
                conn.execute(
                    "SELECT d.id, r.slug FROM responsibilities_duty d JOIN roles_role r ON r.id = d.role_id "
                    "ORDER BY d.id LIMIT %s",
                    (args.duties,),
                ).fetchall()
            )
        for server in servers:
            server.start()
        log(f"app servers up on ports {args.ports}; logs in {work_dir}")

        mode = args.edit_through or detect_edit_path(servers[0].port, token, next(iter(duties)))
        log(f"editors write through the {'API (PATCH with If-Match)' if mode == 'api' else 'edit pages (POST forms)'}")
        load = Load(servers, token, duties, mode)
        results = []

        def run_phase(name, fault=None):
            log(f"phase {name}: {args.duration:.0f}s")
            load.run(name, args.duration, args.readers, args.editors, fault)
            for server in servers:
                wait_healthy(server.port, timeout=60)
            lost = [write for write in lost_updates(database_url, load) if write.phase == name]
            results.append((name, load.stats[name], lost))

        run_phase("1 steady")
        if not load.stats["1 steady"].acknowledged:
            raise SystemExit(
                f"soak: no edit was accepted in phase 1 ({mode}). Answers: {dict(load.stats['1 steady'].statuses)}"
            )

        def kill_and_restart():
            victim = servers[0]
            log(f"SIGKILL {victim.name} (port {victim.port})")
            victim.kill()
            victim.down_until = time.monotonic() + 5
            time.sleep(5)
            victim.start()
            log(f"{victim.name} restarted")

        run_phase("2 app killed", kill_and_restart)

        if not args.skip_db_restart:

            def restart_postgres():
                log(f"restarting PostgreSQL ({args.pg_cluster})")
                subprocess.run(  # noqa: S603 - fixed argv
                    ["pg_ctlcluster", "--skip-systemctl-redirect", *args.pg_cluster.split(), "restart"],  # noqa: S607
                    check=True,
                    timeout=60,
                )
                log("PostgreSQL is back")

            run_phase("3 db restart", restart_postgres)

        print_table(results)
        failed = any(
            stats.server_errors or stats.hung or lost or (stats.unavailable and not name.startswith("3"))
            for name, stats, lost in results
        )
        log(f"finished in {time.monotonic() - started:.0f}s: {'FAILED' if failed else 'OK'}")
        return 1 if failed else 0
    finally:
        for server in servers:
            server.stop()
        try:
            drop_database(args.database)
        except psycopg.Error as error:
            log(f"could not drop {args.database}: {error}")
        watchdog.cancel()


def print_table(results: list[tuple[str, Stats, list[Write]]]) -> None:
    columns = ["phase", "requests", "5xx", "503", "conflicts", "conn errors", "hung", "acked writes", "lost updates"]
    rows = [
        [
            name,
            stats.requests,
            stats.server_errors,
            stats.unavailable,
            stats.conflicts,
            stats.connection_errors,
            stats.hung,
            stats.acknowledged,
            len(lost),
        ]
        for name, stats, lost in results
    ]
    widths = [max(len(str(row[i])) for row in [columns, *rows]) for i in range(len(columns))]
    print()
    for row in [columns, ["-" * w for w in widths], *rows]:
        print(
            "  ".join(
                str(cell).rjust(width) if i else str(cell).ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
    for name, stats, lost in results:
        if stats.other_4xx:
            print(f"note: phase {name} had {stats.other_4xx} other 4xx answers: {dict(stats.statuses)}")
        for write in lost[:5]:
            print(f"LOST in {name}: duty {write.duty} version {write.version}: {write.value!r}")
    print()


if __name__ == "__main__":
    sys.exit(main())
