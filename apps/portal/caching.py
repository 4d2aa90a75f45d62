"""Public pages are cached whole; the visitor counter is filled in afterwards by the middleware.

A page is cached under the current data version, the language and the day. The data version changes on
every write to a record the public pages show (apps.portal.signals: saves, deletes, bulk writes announced
with apps.core.signals.records_written_in_bulk), so with the shared cache of production (Redis) a page stays
cached until the data changes, whichever server built it: the cold cost is paid once per change, not per
worker and per five minutes (settings.PORTAL_PAGE_CACHE_SECONDS: a day, so yesterday's keys go). A cache in
each process's memory does not hear of another process's writes (a command, another worker): its pages live
five minutes.

Only the query parameters the pages read make a different key (``/?utm=1`` is ``/``), and an anonymous
client gets at most settings.PORTAL_ANONYMOUS_MISSES_PER_MINUTE pages the cache cannot answer (and
open-data files) a minute: one address cannot keep the workers busy.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.http import client_address
from apps.portal.services import data_version

# The query parameters any public page reads (the period and scope of apps.donations.params, the news
# page number); every other parameter is ignored by the pages, and so by the cache key.
PAGE_PARAMETERS = ("from", "to", "commune", "group", "page")
TOO_MANY_REQUESTS = _("Too many requests from your address. Please wait a minute and try again.")


def _page_key(request: HttpRequest) -> str:
    # The pages read the last value of a parameter (QueryDict.get), so that is all the key keeps.
    query = urlencode([(name, request.GET[name]) for name in PAGE_PARAMETERS if name in request.GET])
    path = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"portal:page:{data_version()}:{get_language()}:{timezone.localdate().isoformat()}:{path}"


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
    """A cacheable public page that counts as a visit (see VisitCounterMiddleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
        elif over_rate_limit(request):
            response = _too_many_requests(
                HttpResponse(TOO_MANY_REQUESTS, status=429, content_type="text/plain; charset=utf-8")
            )
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), settings.PORTAL_PAGE_CACHE_SECONDS)
            response["X-Portal-Cache"] = "miss"
        # Browsers and proxies must come back to us, so that every view is counted.
        patch_cache_control(response, no_cache=True, public=True)
        return response

    wrapper.counts_as_visit = True  # type: ignore[attr-defined]
    return wrapper
