"""Chaos test: racing writes of every kind and database and app-server faults, on PostgreSQL and SQLite.

    python scripts/chaos.py      (or: make chaos)

For each database — PostgreSQL (a database of its own, reached by the app through a TCP proxy
that can freeze) and SQLite (a temporary file) — it migrates, loads the knowledge base, gives
an editor an API token and starts gunicorn with 2 sync workers on loopback. Then, through the
API:

1. same-row races: parallel PATCHes with one If-Match (one 200, the rest 412), PATCH against
   DELETE, parallel DELETEs with one If-Match (one 204, the rest 404/412), If-Match: * (all 200);
2. create/delete races: a new row raced by changes and deletes, twin creates of one line (one
   201, the rest 400), duties created while their role is deleted;
3. solid reporting lines A→B against B→A, and triangles A→B→C→A, all at once;
4. the app server SIGKILLed while writers create, change and delete, then started again;

and on PostgreSQL only:

5. the database stalls: the proxy stops forwarding without closing, for 6 seconds;
6. the database restarts (pg_ctlcluster restart).

After each scenario the database is checked: every acknowledged write is in the history at the
version the server reported, each row equals its newest history record, the knowledge base's
version moved once per change, and a walk along the solid lines finds no cycle. Prints one table
per database and exits non-zero if any target is missed: 5xx (503 only while the database is
away), hung requests, wrong answers, lost or half-written changes, cycles, 503 later than 3 s
after the database stalls, no recovery.

Loopback only, bounded (stops itself after --deadline seconds); drops its databases and files.
"""

import argparse
import secrets
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

import psycopg

# The chaos_* and soak_* modules beside this file, also when this file is loaded by path rather than run.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from chaos_checks import Result, format_table
from chaos_faults import app_killed, restarted, stalled
from chaos_proxy import FreezableProxy
from chaos_races import create_delete, line_races, same_row
from chaos_stage import PG_HOST, Database, Stage
from soak_setup import AppServer, app_env, prepare, stop_after


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


def check_free(ports: list[int]) -> None:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"chaos: port {port} is in use; choose others with --ports")


def run_stage(vendor: str, args, work_dir: Path, cleanup: list) -> list[Result]:
    """One database: set it up, run every scenario that applies to it, take it down again."""
    app_port, sqlite_port, proxy_port = args.ports
    name = f"kb_chaos_{vendor[:2]}_{secrets.token_hex(3)}"
    proxy = None
    if vendor == "postgresql":
        host, port = PG_HOST.split(":")
        proxy = FreezableProxy(proxy_port, (host, int(port)))
        cleanup.append(proxy.close)
        db = Database(vendor, name, work_dir, app_port=proxy.port)
    else:
        app_port = sqlite_port
        db = Database(vendor, name, work_dir)
    cleanup.append(db.drop)
    log(f"{vendor}: creating {name}, migrating, loading the knowledge base")
    db.create()
    env = app_env(db.app_url, work_dir)
    token = prepare(env, collect_static=not (work_dir / "static").exists())
    server = AppServer(f"app-{vendor}", app_port, env, work_dir)
    cleanup.append(server.stop)
    server.start()
    role, category = db.duty_for_races()
    stage = Stage(db, app_port, token, role, category)
    log(f"{vendor}: gunicorn (2 workers) on 127.0.0.1:{app_port}" + (f" via proxy :{proxy.port}" if proxy else ""))

    scenarios = [
        lambda: same_row(stage, args.trials),
        lambda: create_delete(stage, args.trials),
        lambda: line_races(stage, args.trials),
        lambda: app_killed(stage, server),
    ]
    if proxy is not None:
        scenarios.append(lambda: stalled(stage, proxy))
        if not args.skip_db_restart:
            scenarios.append(lambda: restarted(stage, args.pg_cluster))
    results = []
    for scenario in scenarios:
        results.append(scenario())
        log(f"{vendor}: {results[-1].scenario}: {'; '.join(results[-1].misses()) or 'ok'}")
    server.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ports",
        default="8141,8142,8143",
        help="app server on PostgreSQL, app server on SQLite, the freezable proxy (loopback)",
    )
    parser.add_argument("--trials", type=int, default=8, help="how often each race is run (default 8)")
    parser.add_argument("--databases", default="postgresql,sqlite", help="which databases to test")
    parser.add_argument("--pg-cluster", default="15 main", help="version and name for pg_ctlcluster")
    parser.add_argument("--skip-db-restart", action="store_true", help="leave out scenario 6")
    parser.add_argument("--deadline", type=float, default=290, help="abort the whole run after this many seconds")
    args = parser.parse_args()
    args.ports = [int(port) for port in args.ports.split(",")]
    check_free(args.ports)

    started = time.monotonic()
    watchdog = stop_after(args.deadline, "chaos")
    work_dir = Path(tempfile.mkdtemp(prefix="kb-chaos-"))
    cleanup: list = []
    tables = []
    try:
        for vendor in args.databases.split(","):
            results = run_stage(vendor, args, work_dir, cleanup)
            tables.append((vendor, results))
            print(f"\n{format_table(f'{vendor}:', results)}\n", flush=True)
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except (OSError, psycopg.Error) as error:
                log(f"cleaning up: {error}")
        watchdog.cancel()
    failed = len(tables) < len(args.databases.split(",")) or any(
        result.misses() for _vendor, results in tables for result in results
    )
    shutil.rmtree(work_dir / "static", ignore_errors=True)
    if failed:
        log(f"app server logs kept in {work_dir}")
    else:
        shutil.rmtree(work_dir, ignore_errors=True)
    log(f"finished in {time.monotonic() - started:.0f}s: {'FAILED' if failed else 'OK'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
