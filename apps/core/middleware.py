from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose another language, whatever their browser asks for.

    Django's LocaleMiddleware would follow Accept-Language, so an office PC with an English
    browser would get English pages; here only an explicit choice (the language cookie set by
    the set_language view) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PrivatePagesMiddleware:
    """Every page shown to a signed-in person (admin, reports, monitoring, import, history) is
    ``Cache-Control: private, no-store``: it never lands in a shared proxy or a browser's disk cache.

    Only a request that carries a session cookie can be signed in; the session is not read otherwise,
    so anonymous public pages keep their own caching headers and no ``Vary: Cookie``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and user is not None and user.is_authenticated:
            # patch_cache_control drops a "public" the view set (the public pages) when "private" is added.
            patch_cache_control(response, private=True, no_store=True)
        return response
