"""A database whose connection freezes — packets acknowledged, no answer — gives a quick error, not a hang.

A TCP proxy in front of the test database forwards until it is frozen; then it keeps the
connections open but passes nothing on, as a stalled network path or proxy does.
"""

import contextlib
import socket
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.utils import ConnectionHandler, OperationalError

from cmo_kb.middleware import DatabaseDeadlineMiddleware
from cmo_kb.postgresql.base import current_deadline, wait_deadline

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection through a proxy")


class FreezableProxy:
    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.frozen = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self):
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                self.threads.append(threading.Thread(target=self._pipe, args=(source, sink), daemon=True))
                self.threads[-1].start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.02)
                sink.sendall(data)
        except OSError:
            pass

    def close(self):
        """Stop every thread and close every socket, the server's session behind them too.

        Closing a socket does not wake a thread blocked on it: left behind, the threads kept their
        sockets, and the database a session, for the rest of the run. Shutting a socket down does.
        """
        self.frozen.clear()
        for sock in [self.server, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self.threads:
            thread.join(5)
        for sock in [self.server, *self.sockets]:
            sock.close()


@pytest.fixture
def through_proxy(db, django_db_blocker):
    """A second connection to the test database that goes through a freezable proxy."""
    settings = connection.settings_dict
    proxy = FreezableProxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    config = {**settings, "HOST": "127.0.0.1", "PORT": str(proxy.port), "CONN_MAX_AGE": 0, "TEST": {}}
    wrapper = ConnectionHandler({"default": config})["default"]
    yield proxy, wrapper
    wrapper.close()
    proxy.close()


@postgres_only
def test_a_query_on_a_frozen_connection_gives_up_at_the_deadline(through_proxy):
    proxy, wrapper = through_proxy
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    proxy.frozen.set()

    started = time.monotonic()
    with pytest.raises(OperationalError), wait_deadline(0.5), wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")

    assert time.monotonic() - started < 1.5
    # The connection is dropped at once, so the rollback or health check that follows does not wait again.
    started = time.monotonic()
    assert not wrapper.is_usable()
    assert time.monotonic() - started < 0.2


@postgres_only
def test_a_write_cut_off_by_the_deadline_fails_at_once_instead_of_reconnecting(through_proxy):
    """After the failed transaction Django reconnects to restore autocommit; through the frozen path
    that waited the whole connect timeout, so a stalled write answered 503 only after ~4.5 s."""
    proxy, wrapper = through_proxy
    connections["stalled"] = wrapper
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError), wait_deadline(0.5), transaction.atomic(using="stalled"):
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT 1")
                proxy.frozen.set()
                cursor.execute("SELECT 2")
        assert time.monotonic() - started < 1.5
    finally:
        del connections["stalled"]

    # The next request (a new deadline block) connects again as usual.
    proxy.frozen.clear()
    with wait_deadline(0.5), wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@postgres_only
def test_without_a_deadline_the_same_query_would_hang(through_proxy):
    proxy, wrapper = through_proxy
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    proxy.frozen.set()
    outcome = []

    def query():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT 1")
            outcome.append("answered")
        except Exception as error:  # noqa: BLE001 - recorded for the assertion
            outcome.append(error)

    wrapper.inc_thread_sharing()
    worker = threading.Thread(target=query, daemon=True)
    worker.start()
    worker.join(2)

    assert worker.is_alive() and outcome == []
    proxy.frozen.clear()
    worker.join(5)
    wrapper.dec_thread_sharing()
    assert outcome == ["answered"]


def test_every_request_runs_under_the_configured_deadline(settings, rf):
    settings.DB_QUERY_DEADLINE = 1.25
    seen = []
    middleware = DatabaseDeadlineMiddleware(lambda request: seen.append(current_deadline()) or "response")

    assert middleware(rf.get("/")) == "response"
    assert seen == [1.25]
    assert current_deadline() is None  # lifted again after the request
