"""``make bench``'s browsing: the mix of addresses, wrk walking it, the editor writing meanwhile, and
the same with the response cache in one Redis (``bench_scenarios`` runs them and reports).

The mix: role pages, API role details, directory pages and searches, in English and Norwegian,
drawn Zipf-like across all roles (``bench_browse.lua`` walks a shuffled list).
"""

import os
import random
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench_tools as bench
from bench_tools import load

LUA = bench.ROOT / "scripts" / "bench_browse.lua"
REDIS = ", Redis"  # the suffix of the scenarios run with the response cache in Redis


def zipf_choice(rng: random.Random, items: list, count: int, exponent: float = 1.0) -> list:
    """``count`` draws from ``items``, the i-th (1-based) with a weight of 1/i^exponent."""
    weights = [1 / (rank**exponent) for rank in range(1, len(items) + 1)]
    return rng.choices(items, weights=weights, k=count)


def browse_paths(slugs: list[str], rng: random.Random, count: int = 20000) -> tuple[list[str], list[str]]:
    """The browse mix: 35% role pages, 30% API details, 20% directory pages, 15% searches; half in Norwegian."""
    popular = slugs[:]
    rng.shuffle(popular)  # which roles are popular: any of them, not the top of the hierarchy
    pages = list(range(1, max(len(slugs) // 60, 1) + 1))
    paths = []
    for slug in zipf_choice(rng, popular, int(count * 0.35)):
        paths.append(rng.choice(["", "/nb"]) + f"/roles/{slug}/")
    for slug in zipf_choice(rng, popular, int(count * 0.30)):
        paths.append(f"/api/v1/roles/{slug}/" + rng.choice(["", "?lang=nb"]))
    for page in zipf_choice(rng, pages, int(count * 0.20)):
        paths.append(rng.choice(["", "/nb"]) + f"/?page={page}")
    for query in (rng.choice(bench.SEARCH_QUERIES) for _ in range(int(count * 0.15))):
        paths.append(rng.choice(["", "/nb"]) + "/search/?q=" + urllib.request.quote(query))
    rng.shuffle(paths)
    return paths, popular


def worker_peak_rss_mb(server) -> float:
    """The highest peak resident memory (VmHWM) among the gunicorn master's worker processes."""
    peak = 0.0
    for children in Path(f"/proc/{server.pid}/task").glob("*/children"):
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
            peak = max(peak, kilobytes / 1024)
    return peak


def wrk_browse(wrk: str, base: str, paths_file: Path, args) -> dict:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "5s"]
    env = {**os.environ, "BENCH_PATHS": str(paths_file)}
    output = subprocess.run([*command, "-s", str(LUA), base], capture_output=True, text=True, env=env, check=True)  # noqa: S603
    return bench.parse_wrk(output.stdout)


class Editor(threading.Thread):
    """One editor write a second through the API: a duty's English title, on a popular role."""

    def __init__(self, base: str, token: str, duties: dict[int, str]):
        super().__init__(daemon=True)
        self.base, self.token, self.duties = base, token, duties
        self.stop, self.writes, self.failures, self.times = threading.Event(), 0, 0, []
        self.last: dict[str, str] = {}  # role slug -> the title its duty was given last

    def run(self):
        rng = random.Random(7)
        while not self.stop.is_set():
            started = time.monotonic()
            duty = rng.choice(sorted(self.duties))
            title = f"Edited duty {self.writes} {rng.randrange(10**6)}"
            body = f'{{"title_en": "{title}"}}'.encode()
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{self.base}/api/v1/duties/{duty}/",
                data=body,
                method="PATCH",
                headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json", "If-Match": "*"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    response.read()
                    live = response.status == 200  # 202 would be a draft, which readers never see
                self.writes += live
                self.failures += not live
                if live:
                    self.last[self.duties[duty]] = title
            except (urllib.error.URLError, OSError):
                self.failures += 1
            self.times.append((time.monotonic() - started) * 1000)
            self.stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))


def stale_reads(base: str, last: dict[str, str], reads: int = 6) -> tuple[int, int]:
    """Read every edited role's page and API detail several times (both workers answer): how many lack the last edit."""
    stale = total = 0
    for slug, title in last.items():
        for path in (f"/roles/{slug}/", f"/api/v1/roles/{slug}/") * (reads // 2):
            with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:  # noqa: S310 - loopback
                stale += title not in response.read().decode()
            total += 1
    return stale, total


def browse_scenarios(wrk, server, base, paths_file, token, edited, args, suffix="") -> dict:
    """Browse, then browse while an editor writes once a second, on one server."""
    scenarios = {}
    before = load()
    scenarios["browse" + suffix] = {**wrk_browse(wrk, base, paths_file, args), "load": before}
    scenarios["browse" + suffix]["rss"] = worker_peak_rss_mb(server)
    editor = Editor(base, token, edited)
    editor.start()
    before = load()
    editing = wrk_browse(wrk, base, paths_file, args)
    editor.stop.set()
    editor.join()
    editing.update(load=before, rss=worker_peak_rss_mb(server), writes=editor.writes, write_failures=editor.failures)
    editing["stale"], editing["stale_of"] = stale_reads(base, editor.last)
    scenarios["browse while editing" + suffix] = editing
    return scenarios


def start_redis(port: int) -> subprocess.Popen:
    """A throwaway Redis on loopback: nothing saved to disk, the least recently used keys evicted at 1 GB."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--maxmemory", "1gb", "--maxmemory-policy", "allkeys-lru", "--loglevel", "warning"]
    redis = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)  # noqa: S603 - its log is noise here
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return redis
        except OSError:
            time.sleep(0.1)
    bench.stop_server(redis)
    raise SystemExit("bench: redis-server did not answer PING within 10 s")


def fill_cache(base: str, paths: list[str], connections: int, what: str) -> None:
    """Each distinct address of the mix read once, ``connections`` at a time: what a day's traffic leaves."""
    bench.log(f"{what}: filling the cache ({len(set(paths))} addresses)")
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda path: bench.fetch(base + path), sorted(set(paths))))
    bench.log(f"{what}: filled in {time.monotonic() - started:.0f} s")


def redis_scenarios(wrk, env, paths, paths_file, token, edited, engine, args) -> dict:
    """Browse and browse while editing with the response cache in one Redis (as several hosts share it)."""
    redis_port, port = bench.free_port(), bench.free_port()
    redis = start_redis(redis_port)
    server = bench.start_server({**env, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        fill_cache(base, paths, args.connections, f"{engine}, Redis")
        return browse_scenarios(wrk, server, base, paths_file, token, edited, args, suffix=REDIS)
    finally:
        bench.stop_server(server)
        bench.stop_server(redis)
