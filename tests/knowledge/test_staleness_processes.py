"""No stale read across real server processes: every kind of write, made through the API of one gunicorn
server, shows on the very next read of every page and API that displays it, on every worker of both
servers.

Two gunicorn servers (2 sync workers each, as in production: debug off, the response cache on in the
cache a host's workers share — a directory of each server's own, as two hosts —, persistent database
connections, review required) serve one database of their own, on the suite's database engine,
migrated and loaded by the commands an operator runs. Before each write every page that will show it
is read through both servers until each worker has answered it from its cache (and without the new
text); the write goes through server A's API as an editor, and an approver publishes the draft it
made; then every page is read through B and A, over new connections, until each worker has answered
it — every answer must show the write.

Which worker takes a new connection is the kernel's choice, and on a busy machine one worker can win
it every time; so each round of reads first opens a request on every worker but one and leaves it
unfinished (a sync worker serves one connection at a time), sends one whole request, which only the
free worker can take, then finishes the others. Which worker answered comes from the servers' access
logs (the request id we send and the worker's pid). What each write shows where is the table in
kb_staleness, shared with test_staleness.py.

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
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from kb_staleness import CMO, DIRECTOR, HIT, PHYSICIAN, SHOWN

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 20  # seconds for any one request; a server that stops answering fails the test, never hangs it
ROUNDS = 20  # rounds of reads of one page through one server before giving up on every worker answering it
MIN_READS = 3  # reads of each page through each server after a write, whoever answers them
HOLD = 0.02  # seconds (times the round) for an idle worker to take an unfinished request before the whole one


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
            # The cache its workers share, as on one host (each server stands for a host of its own).
            "KB_CACHE_DIR": str(self.work_dir / f"{self.name}-cache"),
            # One line per request: the request id we sent and the pid of the worker that answered it.
            "GUNICORN_CMD_ARGS": "--access-logformat '%({x-request-id}o)s %(p)s'",
        }
        self.app = soak_setup.AppServer(self.name, self.port, env, self.work_dir)

    @property
    def workers(self) -> set[int]:
        pid = self.app.process.pid
        return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}

    def request(self, method: str, path: str, body=None, **headers) -> Answer:
        return self.open(method, path, body, **headers).finish()

    def open(self, method: str, path: str, body=None, **headers) -> "Pending":
        """Send a request over a new connection, all but the blank line that ends its headers."""
        request_id = secrets.token_hex(12)
        payload = b"" if body is None else json.dumps(body).encode()
        if body is not None:
            headers.update({"Content-Type": "application/json", "Content-Length": str(len(payload))})
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Request-ID": request_id, "Connection": "close", **headers}
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        lines = [f"{method} {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
        sock.sendall("".join(f"{line}\r\n" for line in lines).encode())
        return Pending(self, sock, method, request_id, payload)

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


@dataclass
class Pending:
    """A request sent up to the end of its headers: the worker that took it waits for the rest."""

    server: Server
    sock: socket.socket
    method: str
    request_id: str
    payload: bytes

    def finish(self) -> Answer:
        try:
            self.sock.sendall(b"\r\n" + self.payload)
            response = http.client.HTTPResponse(self.sock, method=self.method)
            response.begin()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode())
        finally:
            self.sock.close()
        answer.pid = self.server._worker_of(self.request_id)
        return answer


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


def _create_database(work_dir: Path) -> tuple[str, callable]:
    """An empty database for the servers on the suite's engine: its URL and its drop.

    Not a copy of the session's test database: on PostgreSQL a template may have no other session, and
    the session's live server keeps one open.
    """
    if connection.vendor == "sqlite":
        return f"sqlite:///{work_dir / 'db.sqlite3'}", lambda: None
    assert connection.vendor == "postgresql", connection.vendor
    settings = connection.settings_dict
    name = f"{settings['NAME'].removeprefix('test_')}_processes"
    port = settings["PORT"] or 5432
    admin = {"host": settings["HOST"], "port": port, "user": settings["USER"], "password": settings["PASSWORD"]}

    def drop():
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{port}/{name}", drop


@dataclass
class Stage:
    a: Server
    b: Server
    editor: str
    approver: str


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("staleness-processes")
    database_url, drop = _create_database(work_dir)
    env = soak_setup.app_env(database_url, work_dir)
    for name in ("REDIS_URL", "DATABASE_REPLICA_URLS"):  # the default cache: the host's, in a directory
        env.pop(name, None)
    env.update(
        {
            "KB_RESPONSE_CACHE": "1",
            "KB_PUBLIC_READ": "1",
            "KB_REVIEW_REQUIRED": "1",
            "GUNICORN_MAX_REQUESTS": "0",  # keep each worker (and its cache) for the whole module
        }
    )
    servers = []
    try:
        soak_setup.manage(env, "migrate", "--noinput")
        soak_setup.manage(env, "load_kb")
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
        drop()


# Reads ------------------------------------------------------------------------------------------


def read_on_every_worker(server: Server, path: str, accept) -> None:
    """Read ``path`` until every worker gave an answer ``accept`` takes (each read 200), in rounds that each
    worker should answer once: unfinished requests hold all workers but one, a whole request goes to that one.
    """
    accepted: set[int] = set()
    reads = 0
    for round_ in range(1, ROUNDS + 1):
        if reads >= MIN_READS and accepted == server.workers:
            return
        held = [server.open("GET", path) for _ in range(len(server.workers) - 1)]
        answers = []
        try:
            time.sleep(HOLD * round_)
            answers.append(server.request("GET", path))
        finally:
            answers += [pending.finish() for pending in held]
        for answer in answers:
            reads += 1
            assert answer.status == 200, f"{path} on server {server.name}: {answer.status}"
            if accept(answer):
                accepted.add(answer.pid)
    missing = server.workers - accepted
    assert not missing, f"{path} on server {server.name}: workers {missing} never answered in {reads} reads"


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
