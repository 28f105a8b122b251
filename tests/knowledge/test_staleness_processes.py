"""No stale read across real server processes: every kind of write, made through the API of one gunicorn
server, shows on the very next read of every page and API that displays it, on every worker of both
servers.

Two gunicorn servers (2 sync workers each, as in production: debug off, the response cache on with
its per-process local-memory cache, persistent database connections, review required) serve one
database: a file copy of the session's SQLite test database, or on PostgreSQL a database made from the
test database as a template. Before each write every page that will show it is read through both
servers until each worker has answered it from its cache (and without the new text); the write goes
through server A's API as an editor, and an approver publishes the draft it made; then every page is
read through B and A, over new connections, until each worker has answered it — every answer must
show the write. Which worker answered comes from the servers' access logs (the request id we send and
the worker's pid). What each write shows where is the table in kb_staleness, shared with
test_staleness.py.

The servers listen on free loopback ports: any free port, or the first free ones of
``KB_TEST_SERVER_PORTS`` (``8630-8639``) when set.
"""

import http.client
import importlib.util
import itertools
import json
import os
import secrets
import socket
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections
from kb_staleness import CMO, DIRECTOR, HIT, PHYSICIAN, SHOWN

# pytest-django creates the test database only for the databases its marked tests name; the servers
# read a copy of it.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 20  # seconds for any one request; a server that stops answering fails the test, never hangs it
TRIES = 40  # reads of one page through one server before giving up on seeing every worker answer it
MIN_READS = 3  # reads of each page through each server after a write, whoever answers them


def _soak_setup():
    """scripts/soak_setup.py: the app servers' environment and process handling, shared with the soak test."""
    spec = importlib.util.spec_from_file_location("soak_setup", BASE_DIR / "scripts" / "soak_setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


soak_setup = _soak_setup()

SETUP = """
import json
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
call_command("collectstatic", interactive=False, verbosity=0)
tokens = {}
for name, group in [("staleness-editor", "Editors"), ("staleness-approver", "Approvers")]:
    user = User.objects.create_user(name)
    user.groups.add(Group.objects.get(name=group))
    tokens[group] = Token.objects.create(user=user).key
print(json.dumps(tokens))
"""


@dataclass
class Answer:
    status: int
    headers: dict
    text: str
    pid: int = 0

    def json(self):
        return json.loads(self.text)


@dataclass
class Server:
    """One gunicorn server: its master and workers, and which worker answered each request (its access log)."""

    name: str
    port: int
    env: dict
    work_dir: Path
    answered_by: dict = field(default_factory=dict)
    _log_offset: int = 0

    def __post_init__(self):
        self.access_log = self.work_dir / f"{self.name}-access.log"
        env = {
            **self.env,
            "GUNICORN_ACCESSLOG": str(self.access_log),
            # One line per request: the request id we sent and the pid of the worker that answered it.
            "GUNICORN_CMD_ARGS": "--access-logformat '%({x-request-id}o)s %(p)s'",
        }
        self.app = soak_setup.AppServer(self.name, self.port, env, self.work_dir)

    @property
    def workers(self) -> set[int]:
        pid = self.app.process.pid
        return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}

    def request(self, method: str, path: str, body=None, **headers) -> Answer:
        request_id = secrets.token_hex(12)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)  # a new connection each time
        try:
            payload = None if body is None else json.dumps(body)
            if payload is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=payload, headers={"X-Request-ID": request_id, **headers})
            response = conn.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode())
        finally:
            conn.close()
        answer.pid = self._worker_of(request_id)
        return answer

    def _worker_of(self, request_id: str) -> int:
        deadline = time.monotonic() + 5  # gunicorn logs the request just after sending the answer
        while request_id not in self.answered_by:
            with self.access_log.open() as log:
                log.seek(self._log_offset)
                lines = log.read()
            complete = lines[: lines.rfind("\n") + 1]
            self._log_offset += len(complete.encode())
            for line in complete.splitlines():
                logged_id, _, pid = line.rpartition(" ")
                self.answered_by[logged_id] = int(pid.strip("<>"))  # gunicorn writes "<pid>"
            if request_id not in self.answered_by:
                assert time.monotonic() < deadline, f"request {request_id} not in {self.name}'s access log"
                time.sleep(0.02)
        return self.answered_by.pop(request_id)


def _free_ports(count: int) -> list[int]:
    wanted = os.environ.get("KB_TEST_SERVER_PORTS", "")
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = range(int(low), int(high or low) + 1)
    else:
        candidates = itertools.repeat(0)  # the system's choice of free port
    ports = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            ports.append(probe.getsockname()[1])
        if len(ports) == count:
            return ports
    pytest.fail(f"no {count} free ports in KB_TEST_SERVER_PORTS={wanted}")


def _copy_test_database(work_dir: Path) -> tuple[str, callable]:
    """A copy of the session's test database (migrated, knowledge base loaded) for the servers: its URL and its drop."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = work_dir / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}", lambda: None
    assert connection.vendor == "postgresql", connection.vendor
    name = f"{settings['NAME'].removeprefix('test_')}_processes"
    admin = {
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "dbname": "postgres",
    }
    connections.close_all()  # a template may have no other session

    def drop():
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{admin['port']}/{name}", drop


@dataclass
class Stage:
    a: Server
    b: Server
    editor: str
    approver: str


@pytest.fixture(scope="module")
def stage(django_db_setup, django_db_blocker, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("staleness-processes")
    with django_db_blocker.unblock():
        database_url, drop = _copy_test_database(work_dir)
    env = soak_setup.app_env(database_url, work_dir)
    for name in ("REDIS_URL", "DATABASE_REPLICA_URLS"):  # the default cache: each process its own memory
        env.pop(name, None)
    env.update(
        {
            "KB_RESPONSE_CACHE": "1",
            "KB_PUBLIC_READ": "1",
            "KB_REVIEW_REQUIRED": "1",
            "KB_DOCUMENT_CACHE_DIR": str(work_dir / "documents"),
            "GUNICORN_MAX_REQUESTS": "0",  # keep each worker (and its cache) for the whole module
        }
    )
    servers = []
    try:
        tokens = json.loads(soak_setup.manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        for name, port in zip("ab", _free_ports(2), strict=True):
            servers.append(Server(name, port, env, work_dir))
            servers[-1].app.start()
        for server in servers:
            deadline = time.monotonic() + 30
            while len(server.workers) < 2:  # both workers booted (the master answers /healthz once one has)
                assert time.monotonic() < deadline, f"server {server.name}: its workers did not start"
                time.sleep(0.1)
        yield Stage(*servers, editor=tokens["Editors"], approver=tokens["Approvers"])
    finally:
        for server in servers:
            server.app.stop()
        with django_db_blocker.unblock():
            drop()


# Reads ------------------------------------------------------------------------------------------


def read_on_every_worker(server: Server, path: str, accept) -> None:
    """Read ``path`` over new connections until every worker gave an answer ``accept`` takes (each read 200)."""
    accepted: set[int] = set()
    reads = 0
    while reads < MIN_READS or accepted != server.workers:
        assert reads < TRIES, f"{path} on server {server.name}: workers {server.workers - accepted} never answered"
        answer = server.request("GET", path)
        reads += 1
        assert answer.status == 200, f"{path} on server {server.name}: {answer.status}"
        if accept(answer):
            accepted.add(answer.pid)


def warm(stage: Stage, pages, marker: str) -> None:
    """Every page cached on every worker of both servers, and none shows the write yet."""
    for server in (stage.a, stage.b):
        for path in pages:

            def cached_before(answer, path=path, server=server):
                assert marker not in answer.text, f"{path} on server {server.name} shows {marker!r} before the write"
                return answer.headers.get(HIT.lower()) == "hit"

            read_on_every_worker(server, path, cached_before)


def check_shown(stage: Stage, pages, marker: str, kind: str) -> None:
    """Every read of every page, through B then A, by every worker, shows the write."""
    for server in (stage.b, stage.a):
        for path in pages:

            def shows(answer, path=path, server=server):
                assert marker in answer.text, f"{kind}: {path} on server {server.name} (worker {answer.pid}) is stale"
                return True

            read_on_every_worker(server, path, shows)


# Writes through server A's API ---------------------------------------------------------------------


class Api:
    """Server A's API as the editor; a change that went into a role's draft is submitted and published."""

    def __init__(self, stage: Stage):
        self.server, self.editor, self.approver = stage.a, stage.editor, stage.approver

    def call(self, method: str, path: str, body=None, token=None, **headers) -> Answer:
        headers["Authorization"] = f"Token {token or self.editor}"
        return self.server.request(method, f"/api/v1/{path}", body, **headers)

    def get(self, path: str):
        answer = self.call("GET", path)
        assert answer.status == 200, (path, answer.status, answer.text)
        return answer.json()

    def write(self, method: str, path: str, body=None) -> None:
        answer = self.call(method, path, body, **({"If-Match": "*"} if method != "POST" else {}))
        if answer.status == 202:  # recorded in the role's draft: readers see it once it is published
            role, etag = answer.json()["role"], answer.headers["etag"]
            submitted = self.call("POST", f"roles/{role}/submit/", {"note": "Staleness"}, **{"If-Match": etag})
            assert submitted.status == 200, submitted.text
            published = self.call("POST", f"roles/{role}/publish/", {}, self.approver, **{"If-Match": etag})
            assert published.status == 201, published.text
        else:
            assert answer.status in (200, 201, 204), (method, path, answer.status, answer.text)

    def role(self, slug: str) -> dict:
        return self.get(f"roles/{slug}/")

    def first_duty(self, slug: str) -> dict:
        return min(self.role(slug)["duties"], key=lambda duty: duty["id"])


def rename_role(api: Api):
    api.write("PATCH", f"roles/{PHYSICIAN}/", {"title_en": "Ward Physician Zeta"})


def role_summary(api: Api):
    api.write("PATCH", f"roles/{PHYSICIAN}/", {"summary_en": "Summary Zeta"})


def other_title(api: Api):
    title = min((t for t in api.role(PHYSICIAN)["titles"] if t["language"] == "nb"), key=lambda t: t["id"])
    api.write("PATCH", f"titles/{title['id']}/", {"title": "Avdelingslege Zeta"})


def key_fact(api: Api):
    fact = min(api.role(CMO)["facts"], key=lambda fact: fact["id"])
    api.write("PATCH", f"facts/{fact['id']}/", {"text_en": "Fact Zeta-fact", "text_nb": "Fakta Zeta-fact"})


def qualification(api: Api):
    row = min(api.role(PHYSICIAN)["qualifications"], key=lambda row: row["id"])
    data = {"text_en": "Qualification Zeta-qualification", "text_nb": "Kvalifikasjon Zeta-qualification"}
    api.write("PATCH", f"qualifications/{row['id']}/", data)


def duty_edit(api: Api):
    duty = api.first_duty(PHYSICIAN)
    api.write("PATCH", f"duties/{duty['id']}/", {"title_en": "Duty Zeta-duty", "title_nb": "Oppgave Zeta-duty"})


def _add_duty(api: Api, title: str) -> None:
    category = api.first_duty(PHYSICIAN)["category"]
    data = {"role": PHYSICIAN, "category": category, "title_en": title, "title_nb": title, "editorial": True}
    api.write("POST", "duties/", data)


def duty_add(api: Api):
    _add_duty(api, "New Duty Zeta-count")


def duty_add_shows_on_its_role(api: Api):
    _add_duty(api, "New Duty Zeta-new")


def duty_delete(api: Api):
    api.write("DELETE", f"duties/{api.first_duty(PHYSICIAN)['id']}/")


def duty_moves_to_another_role(api: Api):
    duty = api.first_duty(PHYSICIAN)
    api.write("PATCH", f"duties/{duty['id']}/", {"title_en": "Moved Duty Zeta-moved", "title_nb": "Flyttet Zeta-moved"})
    api.write("PATCH", f"duties/{duty['id']}/", {"role": DIRECTOR})


def reporting_line(api: Api):
    lines = api.role(PHYSICIAN)["superior_lines"]
    (line,) = [line for line in lines if line["superior"] == CMO and line["kind"] == "liaison"]
    api.write("PATCH", f"reporting-lines/{line['id']}/", {"kind": "dotted"})


def source_title(api: Api):
    # A source's title never changes through the API: add one, and cite it from a key fact.
    text = "Staleness check. The chief medical officer leads the medical staff across every site."
    api.write("POST", "sources/", {"slug": "staleness-zeta", "title": "Source Zeta", "language": "en", "text": text})
    fact = max(api.role(CMO)["facts"], key=lambda fact: fact["id"])
    excerpt = "leads the medical staff across every site"
    api.write("PATCH", f"facts/{fact['id']}/", {"source": "staleness-zeta", "excerpt": excerpt, "editorial": False})


def activity_title(api: Api):
    cell = min(api.get(f"raci/assignments/?role={CMO}")["results"], key=lambda cell: cell["id"])
    data = {"title_en": "Activity Zeta-activity", "title_nb": "Aktivitet Zeta-activity"}
    api.write("PATCH", f"raci/activities/{cell['activity']}/", data)


def duty_category(api: Api):
    category = api.first_duty(PHYSICIAN)["category"]
    data = {"name_en": "Category Zeta-category", "name_nb": "Kategori Zeta-category"}
    api.write("PATCH", f"duty-categories/{category}/", data)


def assignment_duty(api: Api):
    cell = min(api.get(f"raci/assignments/?role={CMO}")["results"], key=lambda cell: cell["id"])
    duty = max(api.role(CMO)["duties"], key=lambda duty: duty["id"])
    api.write("PATCH", f"duties/{duty['id']}/", {"title_en": "Assigned Duty Zeta"})
    api.write("PATCH", f"raci/assignments/{cell['id']}/", {"duty": duty["id"]})


# In this order: the servers' database keeps every write, so each write's text is its own.
WRITES = [
    rename_role,
    role_summary,
    other_title,
    key_fact,
    qualification,
    duty_edit,
    duty_add,
    duty_add_shows_on_its_role,
    duty_delete,
    duty_moves_to_another_role,
    reporting_line,
    source_title,
    activity_title,
    duty_category,
    assignment_duty,
]


# How each write changes the physician's duty count, which the directory shows.
DUTY_COUNT_CHANGE = {duty_add: 1, duty_delete: -1}


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__)
def test_every_write_shows_on_the_next_read_on_every_worker_of_both_servers(stage, write):
    api = Api(stage)
    shown = SHOWN[write.__name__]
    marker = shown.text(duties=len(api.role(PHYSICIAN)["duties"]) + DUTY_COUNT_CHANGE.get(write, 0))
    warm(stage, shown.pages, marker)

    write(api)

    check_shown(stage, shown.pages, marker, write.__name__)
