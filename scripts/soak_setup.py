"""The stage of the soak and chaos tests: their own database, the editor's account and the gunicorn servers."""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def recreate_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def app_env(database_url: str, work_dir: Path) -> dict:
    """An app server on loopback: production settings over plain HTTP, no rate limits, every write live at once."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))},
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback
        "DJANGO_STATIC_ROOT": str(work_dir / "static"),
        "DJANGO_STATIC_COMPRESS": "0",  # hashed static files without minutes of pre-compression
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESSLOG": str(work_dir / "access.log"),
        # Every editor's write is live at once, as before review was on by default: these tools race
        # writes against reads and faults, and a write held in a draft would be no write to check.
        "KB_REVIEW_REQUIRED": "0",
        # Measure robustness, not the API's per-client rate limits (all clients share one address here).
        "KB_API_THROTTLE_ANON": "1000000/min",
        "KB_API_THROTTLE_USER": "1000000/min",
    }


EDITOR_PASSWORD = secrets.token_urlsafe(24)
CREATE_EDITOR = f"""
PASSWORD = {EDITOR_PASSWORD!r}
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("soak-editor", password=PASSWORD)
user.groups.add(Group.objects.get(name="Editors"))
print(Token.objects.create(user=user).key)
"""  # noqa: S105 - a throwaway account in a throwaway database


def prepare(env: dict, *, collect_static: bool = True) -> str:
    """Migrate the (empty) database, load the knowledge base, add the editor; the editor's API token."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_kb")
    if collect_static:
        manage(env, "collectstatic", "--noinput")
    return manage(env, "shell", "-c", CREATE_EDITOR).strip().splitlines()[-1]


class AppServer:
    """One gunicorn (master + workers) in its own process group, so SIGKILL takes all of it."""

    def __init__(self, name: str, port: int, env: dict, log_dir: Path):
        self.name, self.port, self.env, self.log_dir = name, port, env, log_dir
        self.process = None
        self.down_until = 0.0

    def start(self) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2"}
        log_file = open(self.log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cmo_kb.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_healthy(self.port, timeout=60)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wait_healthy(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"app server on port {port} did not become healthy in {timeout:.0f}s")


def stop_after(deadline: float, name: str) -> threading.Timer:
    """Bound the whole run: after ``deadline`` seconds (or on SIGTERM) raise SystemExit, so cleanup still runs.

    Returns the watchdog, to cancel once the run is over.
    """
    started = time.monotonic()
    watchdog = threading.Timer(deadline, lambda: os.kill(os.getpid(), signal.SIGTERM))
    watchdog.daemon = True
    watchdog.start()

    def terminate(signum, frame):
        raise SystemExit(f"{name}: stopped after {time.monotonic() - started:.0f}s (deadline or signal)")

    signal.signal(signal.SIGTERM, terminate)
    return watchdog
