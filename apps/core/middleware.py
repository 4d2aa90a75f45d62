from django.conf import settings
from django.utils import translation


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
