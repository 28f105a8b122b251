from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ApiLanguageMiddleware:
    """Content language for the API: ``?lang=`` first, then the Accept-Language header.

    LocaleMiddleware gives every unprefixed URL the default language (pages use the
    /nb/ prefix instead), so API requests are negotiated here, after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        lang = request.GET.get("lang")
        if lang not in self.languages:
            lang = translation.get_language_from_request(request, check_path=False)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers["Content-Language"] = lang
        patch_vary_headers(response, ["Accept-Language"])
        return response
