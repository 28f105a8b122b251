"""A role page's address, built without reverse() for each of the hundreds a page links."""

from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language


def role_url(slug: str) -> str:
    """``reverse("descriptions:detail", kwargs={"slug": slug})``, reversed once per language and URL setup.

    reverse() costs ~40 µs; the org chart and search link hundreds of roles per page.
    """
    key = (get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    around = _ROLE_URLS.get(key)
    if around is None:
        before, _slug, after = reverse("descriptions:detail", kwargs={"slug": _SLUG}).rpartition(_SLUG)
        around = _ROLE_URLS[key] = (before, after)
    # Quoted as reverse() quotes an argument (a slug is already safe; this keeps the two equal).
    return f"{around[0]}{quote(slug, safe=RFC3986_SUBDELIMS + '/~:@')}{around[1]}"


# A stand-in slug (slugs are lower case, so no real one equals it) and the address around it.
_SLUG = "SLUG"
_ROLE_URLS: dict[tuple, tuple[str, str]] = {}
