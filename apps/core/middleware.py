import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

# When a signed-in session last had its expiry moved forward (seconds since the epoch).
SESSION_ACTIVE_AT = "active_at"


def chosen_language(request) -> str:
    """The language chosen with the language cookie (the set_language view), else settings.LANGUAGE_CODE."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language and any(language == code for code, _name in settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose another language, whatever their browser asks for.

    Django's LocaleMiddleware would follow Accept-Language, so an office PC with an English
    browser would get English pages; here only an explicit choice (the language cookie set by
    the set_language view) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
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


def stamp_session_activity(sender, request, **kwargs) -> None:
    """user_logged_in: the session is saved at login anyway, so it starts with its activity stamp."""
    request.session[SESSION_ACTIVE_AT] = int(time.time())


class IdleSessionMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE after its last request (a working day idle).

    SESSION_SAVE_EVERY_REQUEST would do it with a database write on every page; here the expiry moves
    forward at most every SESSION_REFRESH_SECONDS, so a session ends between SESSION_COOKIE_AGE minus
    that and SESSION_COOKIE_AGE after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and user is not None and user.is_authenticated:
            now = int(time.time())
            active_at = request.session.get(SESSION_ACTIVE_AT, 0)
            if request.session.modified or now - active_at >= settings.SESSION_REFRESH_SECONDS:
                # Saved by SessionMiddleware (outside this one) with a new expiry, and its cookie sent again.
                request.session[SESSION_ACTIVE_AT] = now
        return response
