#!/usr/bin/env python3
"""Benchmark the read endpoints against the stack's own floor (``make bench``).

1. Prepares its own PostgreSQL database (``kb_bench`` by default): migrate, load the knowledge base,
   generate the demo organisation (2,000 roles; idempotent, so a second run reuses it).
2. Collects static files and starts gunicorn on loopback: 2 sync workers, debug off, plain HTTP,
   persistent database connections, and the floor view switched on (``KB_BENCH_FLOOR=1``).
3. For every endpoint: one request to learn its body size, a short warm-up, then wrk at 16
   connections; then the floor — a constant body of the same size from the same server — the same
   way. Prints endpoint, body bytes, req/s, p50, p99, floor req/s and the ratio to the floor.
4. Times the search service itself at 10,000 roles (its own database, ``kb_bench_search``).

Everything stays on 127.0.0.1; the server is stopped when the script ends.
"""

import argparse
import os
import sys

import bench_scenarios
from bench_tools import (
    DEFAULT_SERVER,
    ENDPOINTS,
    SEARCH_TARGET_MS,
    TARGET_P99_MS,
    TARGET_RATIO,
    collect_static,
    ensure_database,
    ensure_wrk,
    fetch,
    free_port,
    log,
    measure,
    prepare,
    server_env,
    start_server,
    stop_server,
    time_search,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", DEFAULT_SERVER))
    parser.add_argument("--database", default="kb_bench")
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--search-database", default="kb_bench_search")
    parser.add_argument("--search-roles", type=int, default=10000)
    parser.add_argument("--skip-search", action="store_true", help="Skip timing search at 10,000 roles.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per endpoint (default 10).")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true", help="Turn the whole-response cache off (a 'before').")
    parser.add_argument("--endpoint", action="append", help="Measure only these paths (repeatable).")
    parser.add_argument(
        "--hot", action="store_true", help="Also hit each endpoint's one URL over and over (2,000 roles)."
    )
    parser.add_argument("--scenario-roles", type=int, default=10000)
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument("--cold-samples", type=int, default=30)
    parser.add_argument(
        "--redis",
        action="store_true",
        help="Also browse with the response cache in Redis (several hosts' cache), filled first; needs redis-server.",
    )
    parser.add_argument("--quick", action="store_true", help="PostgreSQL only, 5 s runs, 10 cold samples.")
    parser.add_argument(
        "--floors-only",
        action="store_true",
        help="Only the project's floor and a bare Django view's, interleaved (--rounds each), with their ratio.",
    )
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved runs of each floor with --floors-only.")
    args = parser.parse_args()
    if args.quick:
        args.databases, args.duration, args.cold_samples = ["postgresql"], 5, 10

    wrk = ensure_wrk()
    if args.floors_only:
        return bench_scenarios.floors_only(wrk, args)

    missed = bench_scenarios.main(wrk, args)
    if not args.hot:
        return 1 if missed and os.environ.get("BENCH_STRICT") else 0
    env = server_env(ensure_database(args.server, args.database), cache=not args.no_cache)
    log(f"preparing {args.database} with {args.roles} demo roles")
    prepare(env, args.roles)
    collect_static(env)

    port = free_port()
    server = start_server(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for path in args.endpoint or ENDPOINTS:
            status, size = fetch(base + path)
            if status != 200:
                log(f"{path} answered {status}: skipped (not in this version?)")
                rows.append((path, None, None, None))
                continue
            log(f"{path}: {size} bytes")
            result = measure(wrk, base + path, args)
            floor = measure(wrk, f"{base}/bench/floor/?bytes={size}", args)
            rows.append((path, size, result, floor))
    finally:
        stop_server(server)

    cache = "off" if args.no_cache else "on"
    print(
        f"\n{args.roles} demo roles, PostgreSQL, gunicorn {args.workers} sync workers, wrk {args.connections} "
        f"connections × {args.duration} s, response cache {cache}\n"
    )
    header = (
        f"{'endpoint':40} {'bytes':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'floor/s':>8} {'fl p99':>7} {'ratio':>6}  ok"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for path, size, result, floor in rows:
        if result is None:
            print(f"{path:40} {'(not available)':>8}")
            continue
        ratio = result["rps"] / floor["rps"] if floor["rps"] else 0.0
        ok = ratio >= TARGET_RATIO and result["p99"] < TARGET_P99_MS and not result["bad"] and not result["errors"]
        failures += not ok
        note = "" if not (result["bad"] or result["errors"]) else f" ({result['bad']} bad, {result['errors']})"
        print(
            f"{path:40} {size:8d} {result['rps']:8.0f} {result['p50']:7.2f} {result['p99']:7.2f} "
            f"{floor['rps']:8.0f} {floor['p99']:7.2f} {ratio:6.2f}  {'yes' if ok else 'NO'}{note}"
        )
    print(f"\ntargets: ≥ {TARGET_RATIO}× the floor and p99 < {TARGET_P99_MS:.0f} ms at {args.connections} connections")

    if not args.skip_search:
        search_env = {**env, "DATABASE_URL": ensure_database(args.server, args.search_database)}
        log(f"preparing {args.search_database} with {args.search_roles} demo roles (slow the first time)")
        prepare(search_env, args.search_roles)
        print(f"\nsearch service, server time, {args.search_roles} demo roles (target < {SEARCH_TARGET_MS:.0f} ms):")
        for line in time_search(search_env):
            print(f"  {line}")
    return 1 if (failures or missed) and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
