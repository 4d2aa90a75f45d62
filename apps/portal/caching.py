"""Public pages are cached whole; the visitor counter is filled in afterwards by the middleware.

A page is cached under the current data version (bumped by the signals in ``apps.portal.signals`` when
a record changes), the language and the day. Bulk writes (the demo loader, imports) send no signals,
so a cached page also expires after PAGE_CACHE_SECONDS: figures are at most five minutes old.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from apps.portal.services import data_version

PAGE_CACHE_SECONDS = 300


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"portal:page:{data_version()}:{get_language()}:{timezone.localdate().isoformat()}:{path}"


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
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
            response["X-Portal-Cache"] = "miss"
        # Browsers and proxies must come back to us, so that every view is counted.
        patch_cache_control(response, no_cache=True, public=True)
        return response

    wrapper.counts_as_visit = True  # type: ignore[attr-defined]
    return wrapper
