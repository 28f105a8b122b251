import os

from django.core.wsgi import get_wsgi_application

from .collector import tune as tune_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmo_kb.settings")
tune_garbage_collector()
application = get_wsgi_application()

# Refuse to serve with debug off before static files are collected: every page would fail.
from django.core.checks import run_checks  # noqa: E402 - needs the settings loaded above
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .staticfiles import TAG  # noqa: E402

_errors = [e for e in run_checks(tags=[TAG], include_deployment_checks=True) if e.is_serious()]
if _errors:
    raise ImproperlyConfigured("\n".join(f"{e.msg} {e.hint}" for e in _errors))
