from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .problems import problem_response


class ApiLanguageMiddleware:
    """Content language for the API: ``?lang=`` first, then the Accept-Language header.

    LocaleMiddleware gives every unprefixed URL the default language (pages use the
    /nb/ prefix instead), so API requests are negotiated here, after it. An unknown
    ``?lang=`` is a 400 rather than silently answered in another language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        lang = request.GET.get("lang")
        if lang is not None and lang not in self.languages:
            return problem_response(
                400,
                request,
                detail=_("Unknown language."),
                errors={"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(self.languages))}]},
            )
        if lang is None:
            lang = translation.get_language_from_request(request, check_path=False)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers["Content-Language"] = lang
        patch_vary_headers(response, ["Accept-Language"])
        return response
