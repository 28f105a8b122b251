"""Deployment checks of the project's own settings (run by ``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
