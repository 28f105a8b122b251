"""Settings for Medical Roles KB, driven entirely by the environment.

Defaults give a working development setup (SQLite, debug on); production sets
DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG=0 and DJANGO_ALLOWED_HOSTS.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import database, envbool, envfloat, envint, envlist
from .release import code_digest, database_digest

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = envbool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# Anonymous visitors may read the knowledge base unless this is switched off.
KB_PUBLIC_READ = envbool("KB_PUBLIC_READ", True)
# An editor's change goes into the role's draft and is live once an approver publishes it (0: live at once).
KB_REVIEW_REQUIRED = envbool("KB_REVIEW_REQUIRED", True)

INSTALLED_APPS = [
    # modeltranslation must come before admin so translated fields show up there.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The knowledge base, lower layers first: what every part shares, the two domains, then
    # what reads across them (see the README's architecture section).
    "knowledge",
    "roles",
    "responsibilities",
    "governance",
    "search",
    "descriptions",
    "sources",
    "webhooks",
    "cmo_kb.apps.ProjectConfig",
]

# Uploads (source documents, at most 5 MB: sources.extract) stay in memory, never in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

MIDDLEWARE = [
    "cmo_kb.middleware.RequestIdMiddleware",
    # Bounds every wait for the database while the request runs (see cmo_kb/postgresql).
    "cmo_kb.middleware.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the site-wide policy built once (see the class).
    "cmo_kb.middleware.ContentSecurityPolicyMiddleware",
    "knowledge.problems.ApiProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cmo_kb.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cmo_kb.middleware.HashedConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last: a database outage in a view becomes 503 + Retry-After before anything else sees it.
    "cmo_kb.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cmo_kb.urls"
WSGI_APPLICATION = "cmo_kb.wsgi.application"
ASGI_APPLICATION = "cmo_kb.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cmo_kb.context_processors.language_switch",
            ],
        },
    },
]

# Seconds a web request may wait for any one answer from PostgreSQL before it gives up with a 503
# (0: no limit). A frozen path to the database otherwise holds the worker until it is killed.
DB_QUERY_DEADLINE = envfloat("DJANGO_DB_QUERY_DEADLINE", 2.5) or None


DATABASES = {"default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (comma-separated URLs): reads go to a replica, writes and the rest of a
# request that wrote go to the primary (cmo_kb/db_router.py).
for _index, _url in enumerate(envlist("DATABASE_REPLICA_URLS", "")):
    DATABASES[f"replica_{_index}"] = database(_url)
    DATABASES[f"replica_{_index}"]["TEST"] = {"MIRROR": "default"}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["cmo_kb.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(1, "cmo_kb.db_router.PrimaryPinMiddleware")

# Whole-response cache of read pages and API responses, keyed by the knowledge base's version
# (every write bumps it; see knowledge/response_cache.py and docs/performance.md). Local memory per
# process unless a shared cache is configured below; the version lives in the database, so a write
# invalidates every process at once either way. Placed after the history middleware, so the
# middleware around it (language, ETag/304, security headers) treat a hit like a fresh response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("simple_history.middleware.HistoryRequestMiddleware") + 1,
    "knowledge.response_cache.KnowledgeBaseCacheMiddleware",
)
# Signs backups (knowledge/backup.py): a restore accepts only files a server with this key wrote.
# Unset, SECRET_KEY signs them; set the same value on every server that restores another's backups.
KB_BACKUP_KEY = os.environ.get("KB_BACKUP_KEY", "")
KB_RESPONSE_CACHE = envbool("KB_RESPONSE_CACHE", True)
# Part of every cache key, so a deploy never serves pages the previous release rendered (a shared
# cache outlives a deploy). Deploy tooling may name the release; otherwise the code's own digest.
KB_RELEASE = os.environ.get("KB_RELEASE") or code_digest(BASE_DIR)
KB_RESPONSE_CACHE_TIMEOUT = envint("KB_RESPONSE_CACHE_TIMEOUT", 24 * 3600)
# Webhooks (webhooks/, `manage.py run_webhooks`): the site's address for the `url`s in payloads,
# seconds a receiver may take, the first retry's wait (doubling each time, up to the cap), and the
# failed attempts in a row after which a subscription is switched off.
KB_PUBLIC_URL = os.environ.get("KB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
KB_WEBHOOK_TIMEOUT = envfloat("KB_WEBHOOK_TIMEOUT", 10.0)
KB_WEBHOOK_RETRY_BASE = envfloat("KB_WEBHOOK_RETRY_BASE", 5.0)
KB_WEBHOOK_RETRY_CAP = envfloat("KB_WEBHOOK_RETRY_CAP", 3600.0)
KB_WEBHOOK_DISABLE_AFTER = envint("KB_WEBHOOK_DISABLE_AFTER", 15)
# Route /bench/floor/ (the benchmark's same-sized constant response); only `make bench` turns it on.
KB_BENCH_FLOOR = envbool("KB_BENCH_FLOOR", False)
# Responses (and the API's rate limits) and generated documents (role PDFs) are kept in caches every
# process on this host shares (cmo_kb/cache.py): a page one worker drew is a hit for the others, and
# keys carry the database's versions, so a write reaches every worker at once. Each is bounded in
# bytes (the least recently stored go first); documents have their own budget, so pages never push
# out PDFs, which take a few hundred milliseconds to draw. The directory is named after the database,
# so two sites on one host never share it; KB_CACHE_DIR chooses another place (REDIS_URL, below, a
# cache several hosts share).
KB_CACHE_DIR = Path(
    os.environ.get("KB_CACHE_DIR")
    or Path(tempfile.gettempdir()) / f"medical-roles-kb-cache-{database_digest(DATABASES['default'])}"
)
# The operating system's file cache already holds what is read often; diskcache's defaults (a 64 MB
# memory map and 32 MB of SQLite pages per connection, eight connections per cache) counted it again
# in every worker's memory.
HOST_CACHE_MEMORY = {"sqlite_mmap_size": 0, "sqlite_cache_size": 256}
CACHES = {
    "default": {
        "BACKEND": "cmo_kb.cache.HostCache",
        "LOCATION": str(KB_CACHE_DIR / "responses"),
        "OPTIONS": {"size_limit": envint("KB_CACHE_MB", 1024) * 2**20, **HOST_CACHE_MEMORY},
    },
    "documents": {
        "BACKEND": "cmo_kb.cache.HostCache",
        "LOCATION": str(KB_CACHE_DIR / "documents"),
        "OPTIONS": {"size_limit": envint("KB_DOCUMENT_CACHE_MB", 1024) * 2**20, **HOST_CACHE_MEMORY},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-ins for a locked-out username + address before the password is checked.
    "cmo_kb.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "descriptions:directory"
LOGOUT_REDIRECT_URL = "descriptions:directory"

# Internationalisation: English is the default (unprefixed URLs), Norwegian Bokmål under /nb/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format on every page, in the PDF and in history reasons (per language).
FORMAT_MODULE_PATH = ["cmo_kb.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "nb")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "cmo_kb.staticfiles.CollectedStaticFiles"
    },
}
# Pre-compressing (gzip + brotli) every collected file takes minutes with the API docs' bundles;
# DJANGO_STATIC_COMPRESS=0 keeps the hashed names but skips it (WhiteNoise then sends files as they are).
if not DEBUG and not envbool("DJANGO_STATIC_COMPRESS", True):
    STORAGES["staticfiles"]["BACKEND"] = "cmo_kb.staticfiles.CollectedStaticFilesUncompressed"
# In development (and tests) WhiteNoise serves straight from the app and static/ folders,
# so no collectstatic is needed; with debug off it serves the collected, hashed files
# from STATIC_ROOT (run `manage.py collectstatic` when deploying).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous write a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["knowledge.permissions.KnowledgeBasePermission"],
    "DEFAULT_PAGINATION_CLASS": "knowledge.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "knowledge.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "knowledge.filters.StrictOrderingFilter",
        "knowledge.timestamps.UpdatedSinceFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["knowledge.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "knowledge.schema.KnowledgeBaseSchema",
    "EXCEPTION_HANDLER": "knowledge.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("KB_API_THROTTLE_ANON", "600/min"),
        "user": os.environ.get("KB_API_THROTTLE_USER", "3000/min"),
        # PDF job descriptions take a rendering engine tenths of a second to seconds each.
        "pdf": os.environ.get("KB_PDF_THROTTLE", "30/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Medical Roles KB API",
    "DESCRIPTION": "The hospital's medical-leadership roles: duties, qualifications and reporting lines, "
    "each fact citing the source passage it came from.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package, not a CDN: the docs work offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TitleKindEnum": "roles.models.RoleTitle.Kind",
        "FactKindEnum": "roles.models.RoleFact.Kind",
        "QualificationKindEnum": "roles.models.Qualification.Kind",
        "LineKindEnum": "roles.models.ReportingLine.Kind",
        "LanguageEnum": "knowledge.models.LANGUAGES",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Reads with ?fields= return some of the fields: their bodies get components without `required`.
        "knowledge.schema.selectable_fields",
    ],
}

# Logs go to stderr, one JSON object per line with the request id (DJANGO_LOG_FORMAT=json,
# the default with debug off), or as readable text (DJANGO_LOG_FORMAT=text, the default in development).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cmo_kb.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "cmo_kb.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"), "propagate": False},
        # WeasyPrint reports every rendering step at INFO; only its warnings are worth a log line.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Security: HTTPS, headers, sessions, sign-in throttling ---------------------------------

# HTTPS-only cookies, redirect to https:// and HSTS. On by default when debug is off;
# DJANGO_HTTPS=0 serves plain HTTP (only for loopback, e.g. behind a local test proxy).
HTTPS = envbool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("DJANGO_HSTS_PRELOAD", True)
# Load balancers probe over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https" tells Django a request
# came in over HTTPS. Only set it when the proxy always sets (and strips) that header.
_proxy_ssl_header = envlist("DJANGO_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured("DJANGO_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https")
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)
USE_X_FORWARDED_HOST = envbool("DJANGO_USE_X_FORWARDED_HOST", False)
# Number of proxies in front of the app that append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 0)
# The API's and the pages' rate limits count per client address the same way: without this, DRF
# would key anonymous clients by the whole X-Forwarded-For header, which a client can write itself.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict policy: no inline script or style anywhere, nothing from other origins.
# Swagger UI (/api/v1/docs/) fits it when served from local files with drf-spectacular's
# SpectacularSwaggerSplitView (its script is a separate same-origin request); a view that
# truly needs more gets a policy of its own with csp.decorators.csp_update, never a global relaxation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# A working day; the session also ends when the browser closes.
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# django-axes: after KB_LOGIN_FAILURE_LIMIT failed sign-ins for one username from one
# address, that pair is refused for KB_LOGIN_COOLOFF_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = envint("KB_LOGIN_FAILURE_LIMIT", 5)
# ...and after this many for one username from any addresses, that username (cmo_kb/auth.py).
KB_LOGIN_USERNAME_FAILURE_LIMIT = envint("KB_LOGIN_USERNAME_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=envint("KB_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cmo_kb.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cmo_kb.auth.client_ip"

# Shared cache (and sessions in cache + database) for several app servers: REDIS_URL=redis://host:6379/0.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "documents": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
