"""The chaos test's faults: an app server killed mid-write, a database that stalls, one that restarts.

While each fault lasts, clients keep sending: writers (create, change, delete duties) and
probes that cycle through a page, /healthz, an API read and an API write. Afterwards every
acknowledged write must be in the database (``chaos_stage.settle``); a stalled or restarting
database may cost 503s, never a 500 or a request that hangs.
"""

import itertools
import random
import subprocess
import threading
import time
from dataclasses import dataclass

from chaos_checks import Ack, Result
from chaos_client import REQUEST_TIMEOUT, Api, Tally, Writes, status
from chaos_proxy import FreezableProxy
from chaos_races import new_duty
from chaos_stage import Stage, settle
from soak_setup import AppServer

RECOVERY_WAIT = 30.0  # seconds to wait for every kind of request to succeed again


def writer(stage: Stage, api: Api, writes: Writes, stop: threading.Event, number: int) -> None:
    """Create a duty, change it twice, delete it; again and again. A request without an answer is retried anew."""
    sequence = 0
    while not stop.is_set():
        sequence += 1
        text = f"chaos writer {number} #{sequence}"
        answer = api.post("/api/v1/duties/", stage.duty(text))
        if status(answer) != 201:
            time.sleep(0.05)
            continue
        duty, etag = answer.data["id"], answer.etag
        writes.ack(Ack("create", duty, answer.data["version"], text), answer)
        for step in (1, 2):
            text = f"chaos writer {number} #{sequence} change {step}"
            writes.sent(duty, text)
            answer = api.patch(f"/api/v1/duties/{duty}/", {"description_en": text}, etag)
            if status(answer) != 200:
                break
            writes.ack(Ack("update", duty, answer.data["version"], text), answer)
            etag = answer.etag
        writes.sent(duty, delete=True)
        answer = api.delete(f"/api/v1/duties/{duty}/", "*")
        if status(answer) == 204:
            writes.ack(Ack("delete", duty), answer)


def app_killed(stage: Stage, server: AppServer, writers: int = 4) -> Result:
    """SIGKILL the app server (master and workers) while writers are mid-write, start it again."""
    tally, writes = Tally(), Writes()
    api = stage.api(tally)
    before = stage.snapshot()
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(stage, api, writes, stop, n), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    time.sleep(1.5 + random.random())  # noqa: S311 - a moment, not a secret
    killed_at = time.monotonic()
    server.kill()
    server.start()
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 5)
    result = settle(stage, "4 app server killed", tally, writes, before, connection_errors_allowed=True)
    after = [answered for sent, answered in writes.answered if sent > killed_at]
    result.expects_recovery = True
    result.recovery = min(after) - killed_at if after else None
    result.notes.append(
        f"{len(writes.acked)} writes acknowledged, {tally.connection_errors} requests cut off or refused by the kill"
    )
    return result


# --- Database faults: probes through a page, /healthz, the API ----------------------------------


@dataclass
class Probe:
    kind: str
    started: float
    ended: float
    status: int | None


class Probes:
    """Two clients (one per app worker) cycling through the kinds of request, recording each answer."""

    def __init__(self, stage: Stage, api: Api, writes: Writes, duty: int):
        self.stage, self.api, self.writes, self.duty = stage, api, writes, duty
        self.records: list[Probe] = []
        self.stop = threading.Event()
        self.kinds = ["page", "healthz", "api read", "api write"]
        self.threads = [threading.Thread(target=self.run, args=(offset,), daemon=True) for offset in (0, 2)]
        self.sequence = itertools.count(1)

    def send(self, kind: str) -> int | None:
        path = f"/api/v1/duties/{self.duty}/"
        if kind == "page":
            return status(self.api.get(f"/roles/{self.stage.role}/"))
        if kind == "healthz":
            return status(self.api.get("/healthz"))
        if kind == "api read":
            return status(self.api.get(path))
        text = f"chaos probe #{next(self.sequence)}"
        self.writes.sent(self.duty, text)
        answer = self.api.patch(path, {"description_en": text}, "*")
        if status(answer) == 200:
            self.writes.ack(Ack("update", self.duty, answer.data["version"], text), answer)
        return status(answer)

    def run(self, offset: int) -> None:
        turn = offset
        while not self.stop.is_set():
            kind = self.kinds[turn % len(self.kinds)]
            turn += 1
            started = time.monotonic()
            answer = self.send(kind)
            self.records.append(Probe(kind, started, time.monotonic(), answer))
            if answer is None:
                time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 5)

    def recovered_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` until every kind of request had succeeded again (None: not yet)."""
        firsts = []
        for kind in self.kinds:
            ends = [probe.ended for probe in self.records if probe.kind == kind and probe.started >= moment]
            ok = [
                probe.ended
                for probe in self.records
                if probe.kind == kind and probe.started >= moment and probe.status == 200
            ]
            if not ok:
                return None
            firsts.append(min(ok))
            del ends
        return max(firsts) - moment

    def wait_recovered(self, moment: float) -> float | None:
        deadline = time.monotonic() + RECOVERY_WAIT
        while time.monotonic() < deadline:
            recovered = self.recovered_after(moment)
            if recovered is not None:
                return recovered
            time.sleep(0.05)
        return None

    def longest_wait(self, begun: float, until: float, kind: str | None = None) -> float:
        """The longest any request (of ``kind``) waited for an answer while the fault lasted."""
        waits = [
            min(probe.ended, until) - max(probe.started, begun)
            for probe in self.records
            if probe.started <= until and probe.ended >= begun and kind in (None, probe.kind)
        ]
        return max(waits, default=0.0)

    def kinds_refused(self, begun: float, until: float) -> set[str]:
        return {probe.kind for probe in self.records if begun <= probe.ended <= until and probe.status == 503}


def database_fault(stage: Stage, name: str, fault, *, every_kind_refused: bool, settle_time: float = 1.0) -> Result:
    """Run probes, apply ``fault`` (returns when the database should be back), measure, check."""
    tally, writes = Tally(), Writes()
    api = stage.api(tally)
    duty, _etag = new_duty(stage, api, writes, f"chaos probe target {name}")
    before = stage.snapshot()
    with Probes(stage, api, writes, duty) as probes:
        time.sleep(settle_time)
        tally.outage_begins()
        begun = time.monotonic()
        back = fault()  # the moment the database was reachable again
        recovery = probes.wait_recovered(back)
        tally.outage_ends()
        time.sleep(settle_time)
    result = settle(stage, name, tally, writes, before)
    result.time_to_503 = probes.longest_wait(begun, back)
    result.expects_recovery = True
    result.recovery = recovery
    waits = ", ".join(f"{kind} {probes.longest_wait(begun, back, kind):.2f}s" for kind in probes.kinds)
    result.notes.append(f"longest wait while the database was away: {waits}")
    missing = set(probes.kinds) - probes.kinds_refused(begun, back)
    if every_kind_refused and missing:
        result.wrong.append(f"no 503 while the database was away for: {', '.join(sorted(missing))}")
    return result


def stalled(stage: Stage, proxy: FreezableProxy, seconds: float = 10.0) -> Result:
    """The path to PostgreSQL freezes for ``seconds``: connections stay open, nothing passes."""

    def freeze():
        proxy.freeze()
        time.sleep(seconds)
        proxy.thaw()
        return time.monotonic()

    return database_fault(stage, "5 database stalls", freeze, every_kind_refused=True)


def restarted(stage: Stage, cluster: str) -> Result:
    """PostgreSQL restarts (fast shutdown: sessions are cut) while clients read and write."""

    def restart():
        subprocess.run(  # noqa: S603 - fixed argv
            ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster.split(), "restart"],  # noqa: S607
            check=True,
            timeout=60,
            capture_output=True,
        )
        return time.monotonic()

    # A quick restart may be over before every kind of request was tried: 503s are allowed, not required.
    return database_fault(stage, "6 database restarts", restart, every_kind_refused=False)
