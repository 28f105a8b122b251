"""Reading settings from the environment: small helpers that fail loudly on a bad value, and databases."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(url: str) -> dj_database_url.DBConfig:
    """One database from its URL, tuned so that concurrent writers wait and a sick database fails fast."""
    # Persistent connections: a new PostgreSQL connection costs ~100x a query on a reused one.
    config = dj_database_url.parse(url, conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "cmo_kb.postgresql"  # Django's backend with a deadline on every wait in a request
        seconds = envint("DJANGO_DB_STATEMENT_TIMEOUT", 30)
        options.update(
            {
                # Fail fast (and answer 503) rather than hang when the database host does not answer.
                "connect_timeout": envint("DJANGO_DB_CONNECT_TIMEOUT", 2),
                # Notice a dead peer on an idle connection, and unacknowledged data, within seconds.
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 3,
                "tcp_user_timeout": 5000,
                # The server stops a runaway statement, and ends a transaction its client abandoned.
                # A table scan starts at the table's beginning, not wherever another scan has got to:
                # search ranks the first matches of a common word, and they must be the same each time.
                "options": f"-c statement_timeout={seconds * 1000} -c idle_in_transaction_session_timeout=60000"
                " -c synchronize_seqscans=off",
            }
        )
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # Writers take the lock when their transaction begins and wait for it (up to the timeout)
        # instead of failing with "database is locked"; WAL lets readers go on while one writes.
        options.update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": envint("DJANGO_SQLITE_BUSY_TIMEOUT", 20),
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config
