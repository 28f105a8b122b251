from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_switch(request):
    """Links to the current page in every language, so switching keeps the reader where they are."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, _ in settings.LANGUAGES
        ]
    }
