from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """Let API clients pick the content language with ``?lang=nb`` (it wins over Accept-Language).

    Runs after LocaleMiddleware, which has already negotiated from the URL prefix or
    Accept-Language and will answer with a matching Content-Language header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang in self.languages and request.path.startswith("/api/"):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
            response = self.get_response(request)
            response.headers["Content-Language"] = lang
            return response
        return self.get_response(request)
