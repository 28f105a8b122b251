import re
import uuid

from django.conf import settings
from django.utils import translation

from .logging import request_id_var


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


class RequestIdMiddleware:
    """Give every request an id: the proxy's ``X-Request-ID`` when it is sane, else a new one.

    The id is on ``request.request_id``, in every log record (see cmo_kb.logging) and
    on the response's ``X-Request-ID`` header. Runs first, so even errors raised by
    later middleware are logged with it.
    """

    VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if self.VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response
