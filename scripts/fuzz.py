"""Fuzz the API from its own schema, as an editor, on SQLite and on PostgreSQL.

    python scripts/fuzz.py [--max-examples 10] [--database sqlite,postgres]      (or: make fuzz)

For each database: a fresh one (a temporary SQLite file; PostgreSQL database ``kb_fuzz`` on
127.0.0.1:5432, dropped at the end), migrated, with the knowledge base loaded and an editor with
an API token; a gunicorn with 2 workers on loopback; then the schemathesis CLI against
``/api/v1/schema/`` with 2 workers, every check, the examples, coverage, fuzzing and stateful
phases, and a time budget. It prints operations, requests, server errors and schema violations
per database and exits non-zero on any failure.

Loopback only and bounded: each schemathesis run has --max-time, the whole script a deadline.
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_setup import (
    CREATE_EDITOR,
    PG_ADMIN_URL,
    AppServer,
    drop_database,
    manage,
    recreate_database,
    stop_after,
)

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).resolve().with_name("fuzz.toml")
PG_DATABASE = "kb_fuzz"
# Responses that break the schema: a status, content type, header or body it does not document,
# or invalid input accepted.
CONFORMANCE_CHECKS = {
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
}
STATUS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" status=(?P<status>\d{3})')


def log(message: str) -> None:
    print(f"[fuzz {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Outcome:
    database: str
    tested: set[str] = field(default_factory=set)  # operations, over the run and any run again
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # check name -> failing operations
    failure_titles: Counter = field(default_factory=Counter)
    server_error_paths: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # schemathesis could not test something
    stopped: list[tuple[str, str]] = field(default_factory=list)  # (operation, phase) to test again, see read_error
    retested: list[str] = field(default_factory=list)
    exit_code: int = 0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def schema_violations(self) -> int:
        return sum(count for check, count in self.failures.items() if check in CONFORMANCE_CHECKS)

    @property
    def failed(self) -> bool:
        found = self.server_errors or sum(self.failures.values()) or self.errors
        # schemathesis exits 1 on its own errors too; errors that did not come back on one worker fail nothing.
        unexplained = self.exit_code and not (found or self.stopped)
        return bool(found or unexplained)


def base_env(work_dir: Path) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_", "KB_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback
        "DJANGO_STATIC_ROOT": str(work_dir / "static"),
        "DJANGO_STATIC_COMPRESS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # One editor's token makes every request: test the contract, not the per-client rate limit.
        "KB_API_THROTTLE_USER": "100000000/min",
        "KB_API_THROTTLE_ANON": "100000000/min",
    }


def run_schemathesis(
    port: int, token: str, args: argparse.Namespace, report: Path, *, workers: int = 2, only: tuple | None = None
) -> int:
    """The whole run; or, with ``only=(operation, phase)``, that operation's phase alone."""
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"http://127.0.0.1:{port}/api/v1/schema/?format=json",
        "--header",
        f"Authorization: Token {token}",
        "--workers",
        str(workers),
        "--phases",
        only[1] if only else "examples,coverage,fuzzing,stateful",
        *(["--include-name", only[0]] if only else []),
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(args.max_time),
        "--request-timeout",
        "20",
        "--seed",
        str(args.seed),
        "--suppress-health-check",
        "all",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
    ]
    if only:
        log(f"schemathesis again for {only[0]} ({only[1]}), 1 worker")
    else:
        log(f"schemathesis: {args.max_examples} examples per operation, at most {args.max_time}s")
    # In the run's own directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    result = subprocess.run(command, cwd=report.parent, timeout=args.max_time + 120, check=False)  # noqa: S603
    return result.returncode


def read_report(report: Path, outcome: Outcome, *, again: bool = False) -> None:
    """Operations tested and failing checks from schemathesis's events: one failure per operation,
    check and kind of failure, as its own summary counts unique failures."""
    seen: set[tuple[str, str, str]] = set()
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event:
            read_error(event["NonFatalError"], outcome, again=again)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        if finished["phase"] != "stateful" and finished["status"] != "skip":
            outcome.tested.add(recorder["label"])
        for checks in recorder.get("checks", {}).values():
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check.get("failure_info", {}).get("failure", {})
                key = (failure.get("operation", recorder["label"]), check["name"], failure.get("title", ""))
                if key not in seen:
                    seen.add(key)
                    outcome.failures[check["name"]] += 1
                    outcome.failure_titles[f"{key[0]}: {key[2]} ({key[1]})"] += 1


def read_error(error: dict, outcome: Outcome, *, again: bool) -> None:
    """schemathesis stopped testing an operation's phase on an error of its own.

    CPython 3.11's ast module can fail spuriously when two threads parse at once
    (python/cpython#106905: "SystemError: AST constructor recursion depth mismatch", which
    hypothesis may report as a FlakyFailure); hypothesis parses source to describe a strategy,
    so with 2 workers a phase now and then stops on it. The first time, that operation's phase
    is run again on one worker; an error then is one of the run's errors.
    """
    value = error.get("value", {})
    label, phase = error.get("label", "?"), error.get("phase", "?")
    if again:
        outcome.errors.append(f"{label} ({phase}): {value.get('type')}: {value.get('message')}")
    else:
        outcome.stopped.append((label, phase))


def read_access_log(access_log: Path, outcome: Outcome) -> None:
    for line in access_log.read_text().splitlines():
        match = STATUS.search(line)
        if not match:
            continue
        status = int(match["status"])
        outcome.requests += 1
        outcome.statuses[status] += 1
        if status >= 500:
            outcome.server_error_paths[f"{match['method']} {match['path'].split('?')[0]} → {status}"] += 1


def fuzz_database(name: str, database_url: str, work_dir: Path, port: int, args: argparse.Namespace) -> Outcome:
    outcome = Outcome(name)
    run_dir = work_dir / name
    run_dir.mkdir()
    access_log = run_dir / "access.log"
    env = {**base_env(run_dir), "DATABASE_URL": database_url, "GUNICORN_ACCESSLOG": str(access_log)}
    log(f"{name}: migrating, loading the knowledge base, creating the editor")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_kb")
    manage(env, "collectstatic", "--noinput", "-v0")
    token = manage(env, "shell", "-c", CREATE_EDITOR).strip().splitlines()[-1]
    server = AppServer("gunicorn", port, env, run_dir)  # 2 workers
    server.start()
    log(f"{name}: gunicorn (2 workers) on 127.0.0.1:{port}; logs in {run_dir}")
    try:
        outcome.exit_code = run_schemathesis(port, token, args, run_dir / "events.ndjson")
        read_report(run_dir / "events.ndjson", outcome)
        # What schemathesis stopped testing on an error of its own, tested again on one worker (see read_error).
        for number, (label, phase) in enumerate(sorted(set(outcome.stopped))):
            report = run_dir / f"again-{number}.ndjson"
            before = sum(outcome.failures.values()) + len(outcome.errors)
            code = run_schemathesis(port, token, args, report, workers=1, only=(label, phase))
            if report.exists():
                read_report(report, outcome, again=True)
            if code and sum(outcome.failures.values()) + len(outcome.errors) == before:
                outcome.errors.append(f"{label} ({phase}): testing it again failed (exit {code}, see the log)")
            outcome.retested.append(f"{label} ({phase})")
    finally:
        server.stop()
    read_access_log(access_log, outcome)
    return outcome


def wait_for_postgres(timeout: float = 60) -> None:
    """PostgreSQL may be restarting (it is shared on this host); wait for it rather than fail at once."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(PG_ADMIN_URL, connect_timeout=2).close()
            return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise SystemExit(f"fuzz: PostgreSQL on 127.0.0.1:5432 is not answering: {error}") from error
            time.sleep(1)


def print_summary(outcomes: list[Outcome]) -> None:
    columns = [
        "database", "operations", "requests", "server errors", "schema violations", "other failures",
        "fuzzer errors", "result",
    ]  # fmt: skip
    rows = [
        [
            o.database,
            len(o.tested),
            o.requests,
            o.server_errors,
            o.schema_violations,
            sum(o.failures.values()) - o.schema_violations - o.failures["not_a_server_error"],
            len(o.errors),
            "FAILED" if o.failed else "ok",
        ]
        for o in outcomes
    ]
    widths = [max(len(str(row[i])) for row in [columns, *rows]) for i in range(len(columns))]
    print()
    for row in [columns, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))  # noqa: B905
    for o in outcomes:
        print(f"{o.database}: statuses {dict(sorted(o.statuses.items()))}")
        if o.failures:
            print(f"{o.database}: failures per check {dict(o.failures)}")
        for title in sorted(o.failure_titles):
            print(f"{o.database}:   {title}")
        for path, count in o.server_error_paths.most_common(10):
            print(f"{o.database}: {count} × {path}")
        for error in o.errors:
            print(f"{o.database}: could not test {error}")
        for retested in o.retested:
            print(f"{o.database}: {retested} stopped on an error of schemathesis's own; tested again on one worker")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--max-examples", type=int, default=10, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=150, help="seconds schemathesis may run per database")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--port", type=int, default=8201, help="loopback port for gunicorn (8200-8299)")
    parser.add_argument("--deadline", type=float, default=540, help="abort the whole run after this many seconds")
    args = parser.parse_args()
    if not 8200 <= args.port <= 8299:
        parser.error("--port must be within 8200-8299")

    started = time.monotonic()
    watchdog = stop_after(args.deadline, "fuzz")
    work_dir = Path(tempfile.mkdtemp(prefix="kb-fuzz-"))
    outcomes = []
    try:
        for name in args.database.split(","):
            if name == "sqlite":
                outcomes.append(fuzz_database(name, f"sqlite:///{work_dir / 'kb.sqlite3'}", work_dir, args.port, args))
            elif name == "postgres":
                wait_for_postgres()
                recreate_database(PG_DATABASE)
                try:
                    url = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
                    outcomes.append(fuzz_database(name, url, work_dir, args.port, args))
                finally:
                    try:
                        drop_database(PG_DATABASE)
                    except psycopg.Error as error:
                        log(f"could not drop {PG_DATABASE}: {error}")
            else:
                parser.error(f"unknown database {name!r}")
    finally:
        watchdog.cancel()
        print_summary(outcomes)
    failed = len(outcomes) < len(args.database.split(",")) or any(o.failed for o in outcomes)
    log(f"finished in {time.monotonic() - started:.0f}s: {'FAILED' if failed else 'OK'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
