"""Django's PostgreSQL backend, with a deadline on every wait for the server during a request.

When the path to the database freezes — a stalled proxy, a half-dead network link — the
TCP peer may keep acknowledging packets, so keepalives and ``tcp_user_timeout`` never fire
and a query waits for an answer that never comes, holding the worker until the app server
kills it. psycopg can bound each wait (``Connection.wait(timeout=…)``); this backend gives
every wait inside a web request the deadline the request middleware sets
(``DJANGO_DB_QUERY_DEADLINE``), so a stalled database turns into a 503 in seconds. Outside
requests (migrations, management commands) waits are unbounded as usual. The connection
health check at the start of a request waits only ``HEALTH_CHECK_DEADLINE``: a healthy
server answers ``SELECT 1`` in well under a millisecond.

Once a wait has run out, the rest of the request does not wait for the server again: the
request answers 503 anyway, and a reconnect through the same frozen path (Django reconnects to
restore autocommit after the failed transaction) would add the whole connect timeout to it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import psycopg
from django.db.backends.postgresql import base

HEALTH_CHECK_DEADLINE = 0.5

# Seconds a wait for the server may take, or None for no limit (set per request by the middleware).
_deadline: ContextVar[float | None] = ContextVar("database_wait_deadline", default=None)
# Set when a wait ran out in the current ``wait_deadline`` block: no new connection is tried in it.
_gave_up: ContextVar[bool] = ContextVar("database_gave_up", default=False)


@contextmanager
def wait_deadline(seconds: float | None) -> Iterator[None]:
    """Bound every wait for the server in this block (``None`` lifts the bound)."""
    token = _deadline.set(seconds)
    gave_up = _gave_up.set(False)
    try:
        yield
    finally:
        _gave_up.reset(gave_up)
        _deadline.reset(token)


def current_deadline() -> float | None:
    return _deadline.get()


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose waits time out (``psycopg.errors.OperationalError``) at the current deadline."""

    def wait(self, gen, interval=0.1, timeout=None):
        try:
            return super().wait(gen, interval=interval, timeout=_deadline.get() if timeout is None else timeout)
        except psycopg.OperationalError:
            if self.pgconn.transaction_status == psycopg.pq.TransactionStatus.ACTIVE:
                # Gave up waiting mid-query: the connection is in an unknown state. Drop it now, so the
                # rollback and health check that follow fail at once instead of waiting out the deadline again.
                self.pgconn.finish()
                _gave_up.set(True)
            raise


class _Driver:
    """psycopg as Django's backend sees it (``Database``), connecting with ``DeadlineConnection``."""

    def __getattr__(self, name):
        return getattr(psycopg, name)

    connect = staticmethod(DeadlineConnection.connect)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Driver()  # type: ignore[assignment]  # quacks like the psycopg module it wraps

    def get_new_connection(self, conn_params):
        if _gave_up.get():
            raise psycopg.OperationalError("the database did not answer within the deadline earlier in this request")
        return super().get_new_connection(conn_params)

    def is_usable(self):
        deadline = _deadline.get()
        with wait_deadline(HEALTH_CHECK_DEADLINE if deadline is None else min(deadline, HEALTH_CHECK_DEADLINE)):
            return super().is_usable()
