"""Public pages are cached whole, with their headers; the visitor counter is filled in afterwards.

A page is cached under the language, the day and its address, with the data version it was built under. The
data version changes on every write to a record the public pages show (apps.portal.signals: saves, deletes,
bulk writes announced with apps.core.signals.records_written_in_bulk), and a page of another version is stale,
so with the shared cache of production (Redis) a page stays cached until the data changes, whichever server
built it: the cold cost is paid once per change, not per worker and per five minutes
(settings.PORTAL_PAGE_CACHE_SECONDS: a day, so yesterday's keys go). A cache in each process's memory does not
hear of another process's writes (a command, another worker): its pages live five minutes.

An anonymous visitor's page is answered from the cache before the rest of the middleware runs
(apps.portal.middleware.PublicPageMiddleware, early in settings.MIDDLEWARE, as Django's
FetchFromCacheMiddleware would be late): sessions, CSRF, authentication, messages, the audit trail and the
login lockout have nothing to do for it, and the headers they and the view set on the page built are stored
with it (the strict Content-Security-Policy of the public pages, Content-Language, Cache-Control). On Redis
the data version, the page and the view counted with the counter read are one round trip
(apps.portal.services.cached_page_and_count). A request with a session cookie (staff, perhaps) goes the
whole way: its page is read from the cache by the view (the pages show staff nothing else) and the middleware
makes it private.

Only the query parameters the pages read make a different key (``/?utm=1`` is ``/``), and an anonymous
client gets at most settings.PORTAL_ANONYMOUS_MISSES_PER_MINUTE pages the cache cannot answer (and
open-data files) a minute: one address cannot keep the workers busy.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.http import client_address
from apps.portal.services import cached_page

# The query parameters any public page reads (the period and scope of apps.donations.params, the news
# page number); every other parameter is ignored by the pages, and so by the cache key.
PAGE_PARAMETERS = ("from", "to", "commune", "group", "page")
TOO_MANY_REQUESTS = _("Too many requests from your address. Please wait a minute and try again.")


# Where a page shows the visitor counter: filled in for each answer (apps.portal.middleware).
COUNTER_PLACEHOLDER = b"<!--portal:visitor-counter-->"
# Headers not stored with a page: set again for each answer.
UNSTORED_HEADERS = frozenset({"content-length", "x-portal-cache"})


def page_key(request: HttpRequest, language: str) -> str:
    # The pages read the last value of a parameter (QueryDict.get), so that is all the key keeps.
    query = urlencode([(name, request.GET[name]) for name in PAGE_PARAMETERS if name in request.GET])
    path = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"portal:page:{language}:{timezone.localdate().isoformat()}:{path}"


def can_store(response: HttpResponse) -> bool:
    """A page public_page built (not one from the cache, not an error), meant for anyone."""
    return (
        getattr(response, "portal_page_built", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def page_headers(response: HttpResponse) -> list[list[str]]:
    """The headers kept with a built page."""
    return [[name, value] for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]


def stored(headers: list[list[str]], content: bytes) -> bytes:
    """A built page as the cache keeps it: its headers (one line of JSON), a newline, its content."""
    return json.dumps(headers, separators=(",", ":")).encode() + b"\n" + content


def unstored(value: bytes) -> tuple[list[list[str]], bytes]:
    """The headers and content of what services.store_page kept (``stored`` after its version line)."""
    _version, headers, content = value.split(b"\n", 2)
    return json.loads(headers), content


class HeldPage(NamedTuple):
    version: int  # the data version it was built under
    headers: list[list[str]]
    parts: tuple[bytes, ...]  # the content, cut where the visitor counter goes (COUNTER_PLACEHOLDER), if it has one
    until: float  # time.monotonic() after which it is not used (settings.PORTAL_PAGE_CACHE_SECONDS)


# Each process keeps the pages it answered last, with the data version they were built under: for a page whose
# version is still the current one, the shared cache is only asked that (and counts the view), and the page's
# 100 kB never cross from Redis again. The newest HELD_PAGES pages are kept (10 MB at most: the home page is the
# largest, some 100 kB).
HELD_PAGES = 100
_held: OrderedDict[str, HeldPage] = OrderedDict()
_held_lock = threading.Lock()


def held_page(key: str) -> HeldPage | None:
    page = _held.get(key)
    return page if page is not None and page.until > time.monotonic() else None


def hold_page(key: str, *, version: int, headers: list[list[str]], content: bytes) -> HeldPage:
    before, placeholder, after = content.partition(COUNTER_PLACEHOLDER)
    parts = (before, after) if placeholder else (content,)
    page = HeldPage(version, headers, parts, time.monotonic() + settings.PORTAL_PAGE_CACHE_SECONDS)
    with _held_lock:
        _held[key] = page
        _held.move_to_end(key)
        while len(_held) > HELD_PAGES:
            _held.popitem(last=False)
    return page


def this_minute() -> int:
    """The minute the rate limit counts in (one counter per address and minute)."""
    return int(time.time() // 60)


def over_rate_limit(request: HttpRequest) -> bool:
    """Counts one expensive request for the client's address; True once the address is over this minute's
    limit and the request is anonymous (staff are never refused)."""
    limit = settings.PORTAL_ANONYMOUS_MISSES_PER_MINUTE
    if not limit:
        return False
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"portal:misses:{address}:{this_minute()}"
    # add() then incr() works on every cache backend (locmem, Redis); incr is atomic on Redis.
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        return False
    return count > limit and not request.user.is_authenticated


def _too_many_requests(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = "60"
    return response


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An open-data file: every request is computed, so each one counts against the address's limit."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if over_rate_limit(request):
            body = {"error": str(TOO_MANY_REQUESTS)}
            return _too_many_requests(JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False}))
        return view(request, *args, **kwargs)

    return wrapper


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A cacheable public page that counts as a visit (apps.portal.middleware.PublicPageMiddleware answers it
    from the cache, counts it and stores it once built)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Looked up already by the middleware (anonymous: a miss); else read here, content only, since the
        # middleware after this view set the headers of this request (a session cookie: staff, perhaps).
        value = None if hasattr(request, "portal_page") else cached_page(page_key(request, get_language()))
        if value is not None:
            headers, content = unstored(value)
            response = HttpResponse(content, content_type=dict(headers).get("Content-Type"))
            response["X-Portal-Cache"] = "hit"
        elif over_rate_limit(request):
            response = _too_many_requests(
                HttpResponse(TOO_MANY_REQUESTS, status=429, content_type="text/plain; charset=utf-8")
            )
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            response.portal_page_built = True  # type: ignore[attr-defined]
            response["X-Portal-Cache"] = "miss"
        # Browsers and proxies must come back to us, so that every view is counted.
        patch_cache_control(response, no_cache=True, public=True)
        return response

    wrapper.counts_as_visit = True  # type: ignore[attr-defined]
    wrapper.cached_page = True  # type: ignore[attr-defined]
    return wrapper
