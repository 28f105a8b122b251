"""Settings for Medical Roles KB, driven entirely by the environment.

Defaults give a working development setup (SQLite, debug on); production sets
DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG=0 and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


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


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# Anonymous visitors may read the knowledge base unless this is switched off.
KB_PUBLIC_READ = envbool("KB_PUBLIC_READ", True)

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
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "roles",
    "responsibilities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cmo_kb.problems.ApiProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cmo_kb.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

# Persistent connections: a new PostgreSQL connection costs ~100x a query on a reused one.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Whole-response cache of read pages and API responses, keyed by the knowledge base's version
# (every write bumps it; see cmo_kb/response_cache.py and docs/performance.md). Local memory per
# process unless a shared cache is configured below; the version lives in the database, so a write
# invalidates every process at once either way. Placed after the history middleware, so the
# middleware around it (language, ETag/304, security headers) treat a hit like a fresh response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("simple_history.middleware.HistoryRequestMiddleware") + 1,
    "cmo_kb.response_cache.KnowledgeBaseCacheMiddleware",
)
KB_RESPONSE_CACHE = envbool("KB_RESPONSE_CACHE", True)
KB_RESPONSE_CACHE_TIMEOUT = envint("KB_RESPONSE_CACHE_TIMEOUT", 24 * 3600)
# Route /bench/floor/ (the benchmark's same-sized constant response); only `make bench` turns it on.
KB_BENCH_FLOOR = envbool("KB_BENCH_FLOOR", False)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "medical-roles-kb",
        "OPTIONS": {"MAX_ENTRIES": envint("KB_LOCMEM_CACHE_ENTRIES", 2000)},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "roles:directory"
LOGOUT_REDIRECT_URL = "roles:directory"

# Internationalisation: English is the default (unprefixed URLs), Norwegian Bokmål under /nb/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "nb")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous write a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["roles.permissions.KnowledgeBasePermission"],
    "DEFAULT_PAGINATION_CLASS": "roles.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "cmo_kb.schema.KnowledgeBaseSchema",
    "EXCEPTION_HANDLER": "cmo_kb.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("KB_API_THROTTLE_ANON", "600/min"),
        "user": os.environ.get("KB_API_THROTTLE_USER", "3000/min"),
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
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings are worth a log line.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
