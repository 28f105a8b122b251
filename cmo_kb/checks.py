"""Checks of the project's own settings (``manage.py check``; the deployment ones with ``--deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def proxy_addresses(app_configs, **kwargs):
    """Behind a proxy, every client would share the proxy's address: one client's failed sign-ins
    would lock out everyone, and the rate limits would count all clients as one."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)) or settings.USE_X_FORWARDED_HOST
    if behind_proxy and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "The app is configured for a reverse proxy, but DJANGO_TRUSTED_PROXY_COUNT is 0.",
                hint="Set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For "
                "(1 for one nginx), so sign-in lockouts and rate limits see each client's own address.",
                id="cmo_kb.W001",
            )
        ]
    return []


@register(Tags.caches)
def cache_directories(app_configs, **kwargs):
    """A cache directory others could write to would run their code (its values are unpickled): say so
    at start (``migrate``, ``runserver``, ``check``), not as an error on every request."""
    from django.utils.module_loading import import_string

    from .cache import HostCache, ensure_private_directory

    errors = []
    for alias, config in settings.CACHES.items():
        if not issubclass(import_string(str(config["BACKEND"])), HostCache):
            continue
        try:
            ensure_private_directory(str(config["LOCATION"]))
        except (ImproperlyConfigured, OSError) as error:
            errors.append(
                Error(
                    f"Cache {alias!r}: {error}",
                    hint="Set KB_CACHE_DIR to a directory only the app's user can write to.",
                    id="cmo_kb.E003",
                )
            )
    return errors
