"""`make search-eval`: the search's relevance suite on SQLite and on PostgreSQL, at seed size and at scale.

For each database it builds (or reuses) a database of its own — SQLite files under ``.search-eval/``,
PostgreSQL databases ``kb_search_eval`` and ``kb_search_eval_<N>`` on ``SEARCH_EVAL_POSTGRES``
(default ``postgres://postgres@127.0.0.1:5432``) — migrates it, loads the knowledge base, adds
``generate_demo_org --roles N`` for the scaled run, and runs ``manage.py search_eval`` there, which
prints recall@5, MRR, the figures per kind of query and every miss. Options: ``--roles`` (default
``0 10000``: seed size, then 10,000 roles), ``--database sqlite|postgresql`` (default both),
``--strict`` (fail when a target is missed), ``--fresh`` (rebuild the databases).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(env: dict, *args: str, quiet: bool = False) -> None:
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output)  # noqa: S603 - our own manage.py and PostgreSQL tools


def prepare(env: dict, roles: int, fresh: bool, database: str, name: str) -> None:
    """Migrate, load the knowledge base and generate the demo organisation, unless already done."""
    marker = ROOT / ".search-eval" / f"{name}.ready"
    if fresh or not marker.exists():
        print(f"preparing {database} {name} ({roles} demo roles) …", flush=True)
        manage(env, "migrate", "--no-input", quiet=True)
        manage(env, "load_kb", quiet=True)
        if roles:
            manage(env, "generate_demo_org", "--roles", str(roles), quiet=True)
        marker.write_text("ready\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", type=int, nargs="+", default=[0, 10000])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    (ROOT / ".search-eval").mkdir(exist_ok=True)
    server = os.environ.get("SEARCH_EVAL_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    failed = False
    for database in options.database or ["sqlite", "postgresql"]:
        for roles in options.roles:
            name = f"kb_search_eval_{roles}" if roles else "kb_search_eval"
            if database == "sqlite":
                url = f"sqlite:///{ROOT / '.search-eval' / (name + '.sqlite3')}"
                if options.fresh:
                    (ROOT / ".search-eval" / f"{name}.sqlite3").unlink(missing_ok=True)
            else:
                url = f"{server}/{name}"
                if options.fresh or not (ROOT / ".search-eval" / f"{name}.pg.ready").exists():
                    maintenance = ["--maintenance-db", server + "/postgres"]
                    subprocess.run(["dropdb", "--if-exists", *maintenance, name], check=False)  # noqa: S603, S607 - PostgreSQL's tools
                    subprocess.run(["createdb", *maintenance, name], check=True)  # noqa: S603, S607 - PostgreSQL's tools
                name += ".pg"
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_LOG_LEVEL": "WARNING"}
            prepare(env, roles, options.fresh, database, name)
            args = ["search_eval", *(["--strict"] if options.strict else [])]
            result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=False)  # noqa: S603 - our own manage.py and PostgreSQL tools
            failed = failed or result.returncode != 0
            print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
