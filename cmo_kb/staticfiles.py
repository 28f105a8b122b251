"""Static files with debug off: hashed names from collectstatic's manifest, checked at start-up.

Without a manifest (``collectstatic`` never ran) or with a stale one (a file added since), Django's
manifest storage raises on every ``{% static %}`` and every page is a 500. The check below stops
the server from starting in that state with the command that fixes it; and should a file still be
missing at run time, its unhashed name is used and logged, so the page itself is served.
"""

import json
import logging

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, ManifestStaticFilesStorage, staticfiles_storage
from django.core.checks import Error, register
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

FIX = "Run `python manage.py collectstatic --noinput` (make run does) before starting the server."


class ForgivingManifestMixin(ManifestFilesMixin):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            # Only a file the app has but did not collect is forgiven. A name no static directory holds
            # keeps Django's ValueError: WhiteNoise asks for such names at start-up (``x.min.js`` →
            # ``x.js``, to tell hashed files from plain ones) and takes the error as "not hashed".
            if not finders.find(name):
                raise
            logger.error("Static file %r is not collected; serving its plain name. %s", name, FIX)
            return name


class CollectedStaticFiles(ForgivingManifestMixin, CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed files (debug off)."""


class CollectedStaticFilesUncompressed(ForgivingManifestMixin, ManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed files without the compressed copies (``DJANGO_STATIC_COMPRESS=0``)."""


def missing_static_files() -> list[str] | None:
    """The static files the manifest lacks; None when there is no manifest at all."""
    storage = staticfiles_storage
    manifest_name = getattr(storage, "manifest_name", None)
    if manifest_name is None:
        return []  # plain storage (debug): files are found where they lie
    try:
        with storage.open(manifest_name) as handle:
            collected = set(json.load(handle).get("paths", {}))
    except (OSError, ValueError):
        return None
    wanted = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list(["CVS", ".*", "*~"]):
            wanted.add(path.replace("\\", "/"))
    return sorted(wanted - collected)


# Not the "staticfiles" tag: collectstatic runs those checks first and could never fix the problem.
TAG = "static_collected"


@register(TAG, deploy=True)
def static_files_collected(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    missing = missing_static_files()
    if missing is None:
        return [
            Error(
                f"Static files have not been collected into {settings.STATIC_ROOT} (no manifest), "
                "so with DJANGO_DEBUG=0 no page could be rendered.",
                hint=FIX,
                id="cmo_kb.E001",
            )
        ]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        return [
            Error(f"The collected static files are out of date: {shown} not collected.", hint=FIX, id="cmo_kb.E002")
        ]
    return []
