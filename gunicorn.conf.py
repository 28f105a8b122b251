"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py cmo_kb.wsgi`.

Every value can be changed from the environment (GUNICORN_*), so one file serves
every app server behind the load balancer.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


# Loopback by default: the reverse proxy / load balancer on the same host forwards to it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: measured steadier (better p99) than gthread on this app. 2 × cores + 1,
# capped so a large machine does not open more database connections than PostgreSQL allows
# (each worker keeps one persistent connection per database alias).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, _int("GUNICORN_MAX_WORKERS", 12)))
worker_class = "sync"

# A request that takes longer than this is stuck (a PDF is the slowest page, well under it);
# the worker is killed and replaced instead of hanging the server.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then (jittered so they do not all restart at once) to bound memory growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Access log on stdout, one line per request with the request id the app put on the response
# (the same id is in the app's JSON log lines, so the two can be joined).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = (
    'request_id=%({x-request-id}o)s remote=%(h)s "%(r)s" status=%(s)s bytes=%(B)s duration_us=%(D)s "%(a)s"'
)

# Trust X-Forwarded-* only from the proxy (comma-separated addresses); Django's own
# settings (DJANGO_PROXY_SSL_HEADER, DJANGO_TRUSTED_PROXY_COUNT) decide what the app believes.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
