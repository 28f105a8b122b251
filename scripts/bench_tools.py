"""What the benchmarks share (``make bench``): databases, gunicorn servers, wrk runs and their figures.

``bench.py`` (the hot per-endpoint run) and ``bench_scenarios.py`` (the realistic scenarios) both
build on these; neither imports the other's entry point.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
SEARCH_TARGET_MS = 20.0
# gunicorn wants a Python file for --config; an empty one keeps a deployment's gunicorn.conf.py out.
EMPTY_CONFIG = Path(tempfile.gettempdir()) / "kb-bench-gunicorn.conf.py"

ENDPOINTS = [
    "/",
    "/roles/chief-medical-officer/",
    "/org-chart/",
    "/search/?q=cardiology",
    "/api/v1/roles/",
    "/api/v1/roles/chief-medical-officer/",
    "/api/v1/org-chart/",
]
SEARCH_QUERIES = ["cardiology", "lege", "budget", "medical director", "kvalitet", "chif medcal", "oncology bergvik"]


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing; installing the Debian package")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)  # noqa: S607
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    sys.exit("bench: wrk is required: install it with `apt-get install wrk` (Debian/Ubuntu) and run again.")


def ensure_database(server: str, name: str) -> str:
    """Create the benchmark's database if it does not exist yet; return its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def server_env(database_url: str, *, cache: bool) -> dict:
    """The environment of the benchmark's servers and management commands."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": os.environ.get("DJANGO_CONN_MAX_AGE", "600"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "KB_PUBLIC_READ": "1",
        "KB_BENCH_FLOOR": "1",
        "KB_RESPONSE_CACHE": "1" if cache else "0",
        # Every editor's write is live at once (no draft to publish): the hardest case for the caches.
        "KB_REVIEW_REQUIRED": "0",
        # wrk is one anonymous client: the API's per-client rate limit would answer 429 instead.
        "KB_API_THROTTLE_ANON": "100000000/min",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare(env: dict, roles: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_kb")
    manage(env, "generate_demo_org", "--roles", str(roles))


def collect_static(env: dict) -> None:
    """``collectstatic`` (compressing every file takes a minute), unless nothing under static/ is newer."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    newest = max((path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file()), default=0)
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    manage(env, "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int, app: str = "cmo_kb.wsgi") -> subprocess.Popen:
    EMPTY_CONFIG.write_text("# make bench: gunicorn takes every setting from its command line\n")
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        app,
        "--pythonpath",
        str(ROOT / "scripts"),  # where the bare-Django floor (bench_bare) lives
        "--config",
        str(EMPTY_CONFIG),  # only the settings below, whatever a deployment's gunicorn.conf.py says
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)  # noqa: S310
            return server
        except OSError:  # refused, reset or timed out while the workers boot
            if server.poll() is not None:
                sys.exit("bench: gunicorn exited during start-up")
            time.sleep(0.3)
    stop_server(server)
    sys.exit("bench: gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fetch(url: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:(.*)", output)
    if not (rps and p50 and p99):
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return {
        "rps": float(rps.group(1)),
        "p50": _ms(p50.group(1)),
        "p99": _ms(p99.group(1)),
        "bad": int(non2xx.group(1)) if non2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def run_wrk(wrk: str, url: str, *, duration: int, connections: int, threads: int) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


def measure(wrk: str, url: str, args) -> dict:
    run_wrk(wrk, url, duration=args.warmup, connections=args.connections, threads=args.threads)
    return run_wrk(wrk, url, duration=args.duration, connections=args.connections, threads=args.threads)


def time_search(env: dict) -> list[str]:
    """Time the search service in-process at the search database's size (``manage.py bench_search``)."""
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "bench_search", *SEARCH_QUERIES], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return (result.stdout or result.stderr).splitlines()
