"""The chaos test's client: API calls as the editor, and a tally of every answer a scenario got."""

import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 10  # seconds; a request without an answer by then counts as hung


@dataclass
class Answer:
    status: int
    etag: str | None
    data: dict | None
    started: float
    ended: float


@dataclass
class Tally:
    """Every answer of one scenario. ``outage`` marks the time a database fault allows 503."""

    requests: int = 0
    server_errors: int = 0  # 5xx, and 503 outside an outage
    unavailable: int = 0  # 503 while the database is stalled or restarting
    hung: int = 0
    connection_errors: int = 0
    wrong: list[str] = field(default_factory=list)  # answers a scenario did not allow
    lost: int = 0  # writes acknowledged to several racers for one version
    half: list[str] = field(default_factory=list)  # changes the database holds only in part
    statuses: Counter = field(default_factory=Counter)
    outages: list[list[float]] = field(default_factory=list)  # [from, until] while the database is away
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def outage_begins(self) -> None:
        with self.lock:
            self.outages.append([time.monotonic(), float("inf")])

    def outage_ends(self) -> None:
        with self.lock:
            self.outages[-1][1] = time.monotonic()

    def during_outage(self, started: float, ended: float) -> bool:
        return any(started <= until and ended >= begun for begun, until in self.outages)

    def record(self, status: int | None, started: float, *, hung: bool = False) -> None:
        ended = time.monotonic()
        with self.lock:
            self.requests += 1
            if hung:
                self.hung += 1
            elif status is None:
                self.connection_errors += 1
            else:
                self.statuses[status] += 1
                if status == 503 and self.during_outage(started, ended):
                    self.unavailable += 1
                elif status >= 500:
                    self.server_errors += 1

    def refuse(self, what: str) -> None:
        with self.lock:
            self.wrong.append(what)

    def lose(self, count: int) -> None:
        with self.lock:
            self.lost += count


class Api:
    """The editor's calls to one app server; every answer is counted in ``tally``."""

    def __init__(self, port: int, token: str, tally: Tally):
        self.port, self.token, self.tally = port, token, tally

    def call(self, method: str, path: str, body: dict | None = None, if_match: str | None = None) -> Answer | None:
        """One request on a connection of its own; None when the server could not be reached or hung."""
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if if_match:
            headers["If-Match"] = if_match
        payload = None if body is None else json.dumps(body)
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except TimeoutError:
            self.tally.record(None, started, hung=True)
            return None
        except (OSError, http.client.HTTPException):
            self.tally.record(None, started)
            return None
        finally:
            conn.close()
        self.tally.record(response.status, started)
        data = None
        if raw and (response.headers.get("Content-Type") or "").endswith("json"):
            data = json.loads(raw)
        return Answer(response.status, response.headers.get("ETag"), data, started, time.monotonic())

    def get(self, path: str) -> Answer | None:
        return self.call("GET", path)

    def post(self, path: str, body: dict) -> Answer | None:
        return self.call("POST", path, body)

    def patch(self, path: str, body: dict, if_match: str) -> Answer | None:
        return self.call("PATCH", path, body, if_match)

    def delete(self, path: str, if_match: str) -> Answer | None:
        return self.call("DELETE", path, if_match=if_match)


def at_once(*jobs) -> list:
    """Run each job in a thread of its own, all released at the same moment; their results in order."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        start.wait()
        results[index] = job()

    threads = [threading.Thread(target=run, args=(index, job), daemon=True) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 5)
    return results


def status(answer: Answer | None) -> int | None:
    return None if answer is None else answer.status


class Writes:
    """What the clients of one scenario wrote: acknowledged writes, and every change or delete sent."""

    def __init__(self):
        self.acked: list = []  # chaos_checks.Ack
        self.answered: list[tuple[float, float]] = []  # when each acknowledged request was sent and answered
        self.attempted: set[tuple[int, object]] = set()
        self.attempted_deletes: set[int] = set()
        self.lock = threading.Lock()

    def sent(self, row_id: int, value: object = None, *, delete: bool = False) -> None:
        with self.lock:
            if delete:
                self.attempted_deletes.add(row_id)
            else:
                self.attempted.add((row_id, value))

    def ack(self, ack, answer: Answer) -> None:
        with self.lock:
            self.acked.append(ack)
            self.answered.append((answer.started, answer.ended))
