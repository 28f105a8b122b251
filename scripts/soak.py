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
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ROLES = ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]
REQUEST_TIMEOUT = 15  # seconds; a request slower than this counts as hung


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Setup ------------------------------------------------------------------------------------


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


EDITOR_PASSWORD = secrets.token_urlsafe(24)
CREATE_EDITOR = f"""
PASSWORD = {EDITOR_PASSWORD!r}
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("soak-editor", password=PASSWORD)
user.groups.add(Group.objects.get(name="Editors"))
print(Token.objects.create(user=user).key)
"""  # noqa: S105 - a throwaway account in a throwaway database


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


class EditForm(HTMLParser):
    """The fields of the page's POST form that carries a ``version``, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.current[attrs["name"]] = attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.current[self.textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.current):
            self.current[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data

    def fields(self) -> dict | None:
        return next((form for form in self.forms if "version" in form), None)


# --- Load -------------------------------------------------------------------------------------


@dataclass
class Stats:
    requests: int = 0
    server_errors: int = 0  # 5xx other than 503
    unavailable: int = 0  # 503: database briefly unreachable
    conflicts: int = 0  # 409 / 412: a stale edit refused
    connection_errors: int = 0
    hung: int = 0  # no answer within REQUEST_TIMEOUT
    other_4xx: int = 0
    acknowledged: int = 0
    statuses: Counter = field(default_factory=Counter)


@dataclass
class Write:
    duty: int
    value: str
    version: int | None  # the version the row has after this write (API: from the answer; forms: from history)
    phase: str


class Load:
    """Readers and editors spread over the app servers, all stopping at the same moment."""

    def __init__(self, servers: list[AppServer], token: str, duties: dict[int, str], mode: str):
        self.servers = servers
        self.token = token
        self.duties = list(duties)
        self.duty_roles = duties
        self.mode = mode
        self.lock = threading.Lock()
        self.acknowledged: list[Write] = []
        self.attempted: dict[tuple[int, str], str] = {}  # (duty, value) -> phase, writes not acknowledged
        self.stats: dict[str, Stats] = defaultdict(Stats)
        self.phase = ""
        self.stop = threading.Event()

    def pick_server(self) -> AppServer:
        now = time.monotonic()
        alive = [server for server in self.servers if server.down_until <= now]
        return random.choice(alive or self.servers)

    def request(self, method: str, path: str, *, body=None, headers=None):
        """Send one request; returns (status, headers, body) or None on a connection error or hang."""
        server = self.pick_server()
        stats = self.stats[self.phase]
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            payload = response.read()
        except TimeoutError:
            with self.lock:
                stats.requests += 1
                stats.hung += 1
            return None
        except (OSError, http.client.HTTPException):
            # The server died or refused: try the other one for a second.
            server.down_until = time.monotonic() + 1.0
            with self.lock:
                stats.requests += 1
                stats.connection_errors += 1
            return None
        finally:
            conn.close()
        with self.lock:
            stats.requests += 1
            stats.statuses[response.status] += 1
            if response.status == 503:
                stats.unavailable += 1
            elif response.status >= 500:
                stats.server_errors += 1
            elif response.status in (409, 412):
                stats.conflicts += 1
            elif response.status >= 400:
                stats.other_4xx += 1
        return response.status, response.headers, payload

    def reader(self) -> None:
        while not self.stop.is_set():
            slug = random.choice(ROLES)
            path = random.choice(
                [
                    f"/roles/{slug}/",
                    f"/nb/roles/{slug}/",
                    "/",
                    f"/api/v1/roles/{slug}/",
                    f"/api/v1/duties/?role={slug}",
                    "/api/v1/org-chart/",
                ]
            )
            self.request("GET", path)

    def editor(self, number: int) -> None:
        auth = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        sequence = 0
        while not self.stop.is_set():
            duty = random.choice(self.duties)
            answer = self.request("GET", f"/api/v1/duties/{duty}/", headers=auth)
            if answer is None or answer[0] != 200:
                time.sleep(0.05)
                continue
            etag = answer[1]["ETag"]
            sequence += 1
            value = f"soak edit {self.phase} editor {number} #{sequence}"
            with self.lock:
                self.attempted[(duty, value)] = self.phase
            body = json.dumps({"description_en": value})
            answer = self.request(
                "PATCH",
                f"/api/v1/duties/{duty}/",
                body=body,
                headers={**auth, "Content-Type": "application/json", "If-Match": etag},
            )
            if answer is not None and answer[0] == 200:
                version = json.loads(answer[2])["version"]
                with self.lock:
                    self.acknowledged.append(Write(duty, value, version, self.phase))
                    self.stats[self.phase].acknowledged += 1

    def form_editor(self, number: int) -> None:
        """Edits through the duty edit page: sign in, load the form (with its hidden version), post it."""
        cookies = SimpleCookie()

        def headers(extra=None):
            jar = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
            return {"Cookie": jar, **(extra or {})}

        def remember(answer):
            for header in answer[1].get_all("Set-Cookie") or []:
                cookies.load(header)

        sequence = 0
        while not self.stop.is_set():
            if "sessionid" not in cookies:
                answer = self.request("GET", "/accounts/login/", headers=headers())
                if answer is None or answer[0] != 200:
                    time.sleep(0.2)
                    continue
                remember(answer)
                body = urlencode(
                    {
                        "username": "soak-editor",
                        "password": EDITOR_PASSWORD,
                        "csrfmiddlewaretoken": cookies["csrftoken"].value,
                    }
                )
                type_header = {"Content-Type": "application/x-www-form-urlencoded"}
                answer = self.request("POST", "/accounts/login/", body=body, headers=headers(type_header))
                if answer is not None:
                    remember(answer)
                continue
            duty = random.choice(self.duties)
            path = f"/roles/{self.duty_roles[duty]}/duties/{duty}/edit/"
            answer = self.request("GET", path, headers=headers())
            if answer is None or answer[0] != 200:
                time.sleep(0.05)
                continue
            remember(answer)
            parser = EditForm()
            parser.feed(answer[2].decode())
            fields = parser.fields()
            if fields is None:
                continue
            sequence += 1
            value = f"soak edit {self.phase} editor {number} #{sequence}"
            fields["description_en"] = value
            with self.lock:
                self.attempted[(duty, value)] = self.phase
            form_headers = headers({"Content-Type": "application/x-www-form-urlencoded"})
            answer = self.request("POST", path, body=urlencode(fields), headers=form_headers)
            if answer is None:
                continue
            if answer[0] == 302:
                with self.lock:
                    self.acknowledged.append(Write(duty, value, None, self.phase))
                    self.stats[self.phase].acknowledged += 1
            elif answer[0] == 200 and b'class="conflict"' in answer[2]:
                with self.lock:  # the page refused a stale save and shows both versions
                    self.stats[self.phase].conflicts += 1

    def run(self, phase: str, duration: float, readers: int, editors: int, fault=None) -> None:
        self.phase = phase
        self.stop.clear()
        threads = [threading.Thread(target=self.reader, daemon=True) for _ in range(readers)]
        editor = self.editor if self.mode == "api" else self.form_editor
        threads += [threading.Thread(target=editor, args=(n,), daemon=True) for n in range(editors)]
        for thread in threads:
            thread.start()
        end = time.monotonic() + duration
        if fault:
            time.sleep(duration / 3)
            fault()
        time.sleep(max(0.0, end - time.monotonic()))
        self.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)


def detect_edit_path(port: int, token: str, duty: int) -> str:
    """ "api" when the API takes writes (an OPTIONS on a duty lists PATCH), else "forms"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    conn.request("OPTIONS", f"/api/v1/duties/{duty}/", headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    response.read()
    allowed = response.headers.get("Allow", "")
    conn.close()
    return "api" if "PATCH" in allowed else "forms"


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


# --- Main -------------------------------------------------------------------------------------


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
    env = {
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
        # Measure robustness, not the API's per-client rate limits (all clients share one address here).
        "KB_API_THROTTLE_ANON": "1000000/min",
        "KB_API_THROTTLE_USER": "1000000/min",
    }
    servers = [AppServer(f"app{n + 1}", int(port), env, work_dir) for n, port in enumerate(args.ports.split(","))]

    def terminate(signum, frame):
        raise SystemExit(f"soak: stopped after {time.monotonic() - started:.0f}s (deadline or signal)")

    signal.signal(signal.SIGTERM, terminate)
    try:
        log(f"creating database {args.database}, migrating, loading the knowledge base")
        recreate_database(args.database)
        manage(env, "migrate", "--noinput")
        manage(env, "load_kb")
        manage(env, "collectstatic", "--noinput")
        token = manage(env, "shell", "-c", CREATE_EDITOR).strip().splitlines()[-1]
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


def print_table(results) -> None:
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
