"""``make bench``'s realistic scenarios at 10,000 roles, on PostgreSQL and on SQLite.

Browsing itself (the mix, wrk, the editor, the shared cache) is ``bench_browse``.

* floors: the project's floor view (all middleware, a constant body) and the same view in a bare
  Django application (no middleware), both under gunicorn, wrk at 16 connections;
* browse: wrk requesting role pages, API role details, directory pages and searches, in English
  and Norwegian, drawn Zipf-like across all roles (``bench_browse.lua`` walks a shuffled list);
* browse while editing: the same, with one editor write a second through the API (a duty's title);
* both start from a cache filled by reading every address of the mix once (what a day's traffic
  leaves in the cache the host's workers share); with ``--redis``, both again with it in Redis;
* cold: each endpoint's single-request time with the response cache off (median and p95), plus a
  PDF asked for twice with the cache on (the second is the "repeated PDF").

Every figure is printed with the load average taken just before it: the machine may be shared.
"""

import os
import random
import shutil
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import bench_tools as bench
from bench_browse import REDIS, browse_paths, browse_scenarios, fill_cache, redis_scenarios, worker_peak_rss_mb
from bench_tools import load

ROOT = bench.ROOT
SQLITE_DIR = ROOT / ".bench"
TARGETS = {"browse": 0.5, "browse while editing": 0.4}
EDIT_P99_MS = 100.0
FLOOR_RATIO = 0.6
# Cold targets (ms) by endpoint, from the issue that set them.
COLD_TARGETS = {
    "role page": 15,
    "API role detail": 15,
    "directory page": 15,
    "search": 20,
    "org chart, focus": 20,
    "org chart, collapsed": 100,
    "org-chart API": 100,
    "PDF": 300,
    "PDF, repeated": 5,
}


def database_url(engine: str, server: str, roles: int) -> str:
    if engine == "postgresql":
        return bench.ensure_database(server, f"kb_bench_{roles}")
    SQLITE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{SQLITE_DIR / f'kb_bench_{roles}.sqlite3'}"


def prepare(env: dict, roles: int) -> dict:
    """Migrate, load, generate the demo organisation; an editor with an API token; the rows to read and edit."""
    bench.manage(env, "migrate", "--noinput", "-v0")
    count = "from roles.models import Role; print(Role.objects.filter(seed_key__startswith='demo:role').count())"
    existing = subprocess.run(  # noqa: S603
        [bench.PYTHON, "manage.py", "shell", "-c", count], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    started = time.monotonic()
    generated = None
    if existing[-1:] != [str(roles)]:  # a re-run with the same number changes nothing: skip its 30 s
        bench.manage(env, "load_kb")
        bench.manage(env, "generate_demo_org", "--roles", str(roles))
        generated = time.monotonic() - started
    script = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "from responsibilities.models import Duty\n"
        "user, _ = User.objects.get_or_create(username='bench-editor')\n"
        "user.groups.add(Group.objects.get(name='Editors'))\n"
        "print('token', Token.objects.get_or_create(user=user)[0].key)\n"
        "seen = set()\n"
        "for slug, duty in Duty.objects.order_by('role__slug', 'pk').values_list('role__slug', 'pk').iterator():\n"
        "    if slug not in seen:\n"
        "        seen.add(slug)\n"
        "        print('role', slug, duty)\n"
    )
    out = subprocess.run(  # noqa: S603
        [bench.PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    token = next(line.split()[1] for line in out.splitlines() if line.startswith("token "))
    roles_and_duties = [
        (parts[1], int(parts[2])) for parts in (line.split() for line in out.splitlines()) if parts[:1] == ["role"]
    ]
    return {"token": token, "roles": roles_and_duties, "generate_seconds": generated}


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "identity"}), timeout=60) as r:  # noqa: S310
        r.read()
    return (time.perf_counter() - started) * 1000


def cold(base: str, cached_base: str, slugs: list[str], samples: int, rng: random.Random) -> list[tuple]:
    """Single requests, one at a time, each to a different role (the cache is off on ``base``)."""
    picks = rng.sample(slugs, samples)
    pages = max(len(slugs) // 60, 1)
    endpoints = {
        "role page": [f"/roles/{slug}/" for slug in picks],
        "API role detail": [f"/api/v1/roles/{slug}/" for slug in picks],
        "directory page": [f"/?page={rng.randint(1, pages)}" for _ in picks],
        "search": [
            "/search/?q=" + urllib.request.quote(bench.SEARCH_QUERIES[i % len(bench.SEARCH_QUERIES)])
            for i in range(samples)
        ],
        "org chart, focus": [f"/org-chart/?focus={slug}" for slug in picks],
        "org chart, collapsed": ["/org-chart/"] * samples,
        "org-chart API": ["/api/v1/org-chart/"] * samples,
        "PDF": [f"/roles/{slug}/pdf/" for slug in picks[: max(samples // 3, 5)]],
    }
    rows = []
    for name, paths in endpoints.items():
        timed_get(base + paths[0])  # the first request of a kind warms the worker's code paths
        before = load()
        times = sorted(timed_get(base + path) for path in paths)
        rows.append((name, statistics.median(times), times[int(0.95 * (len(times) - 1))], len(times), before))
    # The repeated PDF: the same role's PDF again, from the server with the response cache on.
    repeated = []
    for slug in picks[:10]:
        timed_get(f"{cached_base}/roles/{slug}/pdf/")
        repeated.append(timed_get(f"{cached_base}/roles/{slug}/pdf/"))
    repeated.sort()
    rows.append(("PDF, repeated", statistics.median(repeated), repeated[int(0.95 * (len(repeated) - 1))], 10, load()))
    return rows


def floors(wrk: str, env: dict, args, size: int = 29000) -> dict:
    """The project's floor and a bare Django view's, same body, same server settings."""
    results = {}
    for name, app in (("project floor", "cmo_kb.wsgi"), ("bare Django floor", "bench_bare:application")):
        port = bench.free_port()
        server = bench.start_server(env, port, args.workers, app=app)
        try:
            before = load()
            results[name] = {
                **bench.measure(wrk, f"http://127.0.0.1:{port}/bench/floor/?bytes={size}", args),
                "load": before,
            }
        finally:
            bench.stop_server(server)
    return results


def floors_only(wrk: str, args) -> int:
    """Both floors, interleaved ``args.rounds`` times on two servers kept running; 1 if the ratio misses.

    The floor reads no rows: an empty, migrated database (``--database``) is enough.
    """
    env = bench.server_env(bench.ensure_database(args.server, args.database), cache=True)
    bench.manage(env, "migrate", "--noinput", "-v0")
    bench.collect_static(env)
    servers, bases = [], {}
    try:
        for name, app in (("project floor", "cmo_kb.wsgi"), ("bare Django floor", "bench_bare:application")):
            port = bench.free_port()
            servers.append(bench.start_server(env, port, args.workers, app=app))
            bases[name] = f"http://127.0.0.1:{port}/bench/floor/?bytes=29000"
        runs: dict[str, list[dict]] = {name: [] for name in bases}
        for _ in range(args.rounds):
            for name, url in bases.items():
                before = load()
                runs[name].append({**bench.measure(wrk, url, args), "load": before})
    finally:
        for server in servers:
            bench.stop_server(server)
    print(f"\nfloors (29,000-byte body, gunicorn {args.workers} sync workers, wrk {args.connections} connections):")
    for index in range(args.rounds):
        project, bare = runs["project floor"][index], runs["bare Django floor"][index]
        print(
            f"  round {index + 1}: project {project['rps']:7.0f} req/s (load {project['load']}), "
            f"bare {bare['rps']:7.0f} req/s (load {bare['load']}), ratio {project['rps'] / bare['rps']:.2f}"
        )
    project_rps = statistics.median(row["rps"] for row in runs["project floor"])
    bare_rps = statistics.median(row["rps"] for row in runs["bare Django floor"])
    ratio = project_rps / bare_rps if bare_rps else 0.0
    print(
        f"  medians: project {project_rps:.0f}, bare {bare_rps:.0f} req/s; "
        f"project / bare: {ratio:.2f} (target ≥ {FLOOR_RATIO})"
    )
    return 1 if ratio < FLOOR_RATIO and os.environ.get("BENCH_STRICT") else 0


def run_database(engine: str, wrk: str, args) -> dict:
    """Browse, browse while editing and cold on one database; returns the rows of the report."""
    env = bench.server_env(database_url(engine, args.server, args.scenario_roles), cache=True)
    cache_dir = bench.tempfile.mkdtemp(prefix="kb-bench-cache-")  # the host's cache, empty at the start
    env["KB_CACHE_DIR"] = cache_dir
    bench.log(f"{engine}: preparing {args.scenario_roles} demo roles (slow the first time)")
    info = prepare(env, args.scenario_roles)
    rng = random.Random(20)
    slugs = [slug for slug, _ in info["roles"]]
    duty_of = dict(info["roles"])
    paths, popular = browse_paths(slugs, rng)
    paths_file = Path(bench.tempfile.gettempdir()) / f"kb-bench-paths-{engine}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    port, cold_port = bench.free_port(), bench.free_port()
    server = bench.start_server(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    result = {"engine": engine, "generate_seconds": info["generate_seconds"], "scenarios": {}}
    edited = {duty_of[slug]: slug for slug in popular[:200]}
    try:
        size = int(statistics.mean(bench.fetch(base + path)[1] for path in paths[:60]))
        before = load()
        result["floor"] = {
            **bench.measure(wrk, f"{base}/bench/floor/?bytes={size}", args),
            "load": before,
            "bytes": size,
        }
        fill_cache(base, paths, args.connections, engine)
        result["scenarios"].update(browse_scenarios(wrk, server, base, paths_file, info["token"], edited, args))
        if args.redis:
            if not shutil.which("redis-server"):
                raise SystemExit("bench: --redis needs redis-server")
            in_redis = redis_scenarios(wrk, env, paths, paths_file, info["token"], edited, engine, args)
            result["scenarios"].update(in_redis)
        bench.log(f"{engine}: cold requests, response cache off")
        cold_server = bench.start_server({**env, "KB_RESPONSE_CACHE": "0"}, cold_port, 1)
        try:
            result["cold"] = cold(f"http://127.0.0.1:{cold_port}", base, slugs, args.cold_samples, rng)
            result["cold_rss"] = worker_peak_rss_mb(cold_server)
        finally:
            bench.stop_server(cold_server)
    finally:
        bench.stop_server(server)
        shutil.rmtree(cache_dir, ignore_errors=True)
    return result


def report(floor_results: dict, results: list[dict], args) -> int:
    """Print the one table (and the cold one); the number of missed targets."""
    missed = 0
    project, bare = floor_results["project floor"], floor_results["bare Django floor"]
    ratio = project["rps"] / bare["rps"] if bare["rps"] else 0.0
    missed += ratio < FLOOR_RATIO
    print(f"\nfloors (29,000-byte body, gunicorn {args.workers} sync workers, wrk {args.connections} connections):")
    for name, row in floor_results.items():
        figures = f"{row['rps']:8.0f} req/s  p50 {row['p50']:6.2f} ms  p99 {row['p99']:6.2f} ms"
        print(f"  {name:20} {figures}  load {row['load']}")
    print(f"  project / bare: {ratio:.2f} (target ≥ {FLOOR_RATIO})")
    print(f"\n{args.scenario_roles} demo roles, {args.duration} s per scenario\n")
    header = (
        f"{'database':11} {'scenario':22} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'floor/s':>8} {'ratio':>6} "
        f"{'RSS MB':>7} {'load':>5}  ok"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        floor = result["floor"]
        for name, row in result["scenarios"].items():
            share = row["rps"] / floor["rps"] if floor["rps"] else 0.0
            ok = share >= TARGETS[name.removesuffix(REDIS)] and not row["bad"] and not row["errors"]
            ok = ok and row["rss"] < 200
            if name.startswith("browse while editing"):
                ok = ok and row["p99"] < EDIT_P99_MS and not row["write_failures"] and not row["stale"]
            missed += not ok
            note = ""
            if "writes" in row:
                stale = f"{row['stale']} of {row['stale_of']} reads after them stale"
                note = f" ({row['writes']} writes, {row['write_failures']} failed; {stale})"
            note += f" ({row['bad']} bad, {row['errors']})" if row["bad"] or row["errors"] else ""
            print(
                f"{result['engine']:11} {name:22} {row['rps']:7.0f} {row['p50']:7.2f} {row['p99']:7.2f} "
                f"{floor['rps']:8.0f} {share:6.2f} {row['rss']:7.0f} {row['load']:>5}  {'yes' if ok else 'NO'}{note}"
            )
    print(
        f"\ntargets: browse ≥ {TARGETS['browse']}× the floor; while editing ≥ {TARGETS['browse while editing']}×, "
        f"p99 < {EDIT_P99_MS:.0f} ms; < 200 MB peak RSS per worker (floor: same server, the mix's mean body size)"
    )
    for result in results:
        print(
            f"\ncold, {result['engine']} ({args.scenario_roles} roles; one request at a time, response cache off; "
            + (f"generate_demo_org took {result['generate_seconds']:.0f} s, " if result["generate_seconds"] else "")
            + f"cold worker peak RSS {result['cold_rss']:.0f} MB):"
        )
        for name, median, p95, count, before in result["cold"]:
            ok = median < COLD_TARGETS[name]
            missed += not ok
            print(
                f"  {name:22} median {median:7.1f} ms  p95 {p95:7.1f} ms  (n={count}, load {before})  "
                f"target < {COLD_TARGETS[name]} ms  {'yes' if ok else 'NO'}"
            )
    return missed


def main(wrk: str, args) -> int:
    env = bench.server_env(bench.ensure_database(args.server, f"kb_bench_{args.scenario_roles}"), cache=True)
    bench.collect_static(env)
    results = [run_database(engine, wrk, args) for engine in args.databases]
    floor_results = floors(wrk, env, args)  # after the databases exist: the project's server checks its own at start
    return report(floor_results, results, args)
