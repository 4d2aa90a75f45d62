"""Answers anonymous public pages from the cache before the rest of the middleware, counts public page views and
fills the visitor counter into every page, cached or not."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.core.http import client_address
from apps.core.middleware import chosen_language
from apps.core.numbers import grouped
from apps.portal.caching import (
    COUNTER_PLACEHOLDER,
    HeldPage,
    can_store,
    held_page,
    hold_page,
    page_headers,
    page_key,
    stored,
    unstored,
)
from apps.portal.selectors import visit_counts
from apps.portal.services import cached_page_and_count, data_version, record_visit, record_visit_and_count, store_page

# Crawlers, link checkers, scripts and automated (headless) browsers announce themselves; an empty user
# agent is a script too.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|uptime|curl|wget|"
    r"python-requests|python-urllib|httpx|aiohttp|go-http-client|java/|libwww|scrapy|lighthouse|pingdom|"
    r"headless|phantomjs|playwright|puppeteer|selenium|webdriver",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def _counted_view(request: HttpRequest) -> bool:
    """A public page view the counter counts: a browser's GET (never HEAD, never a bot)."""
    return request.method == "GET" and not is_bot(request.META.get("HTTP_USER_AGENT", ""))


class PublicPageMiddleware:
    """Early in settings.MIDDLEWARE (after the security headers and static files): an anonymous GET or HEAD of a
    cached public page is answered here, with the headers stored with the page, and the rest of the middleware
    never runs (apps.portal.caching). Every other request goes on; on its way back a public page is counted
    (process_view tells which views count) and a page just built is stored. Both fill in the counter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._anonymous_page(request):
            response = self._from_cache(request)
            if response is not None:
                return response
        response = self.get_response(request)
        looked_up = getattr(request, "portal_page", None)
        if looked_up is not None and can_store(response):
            key, version = looked_up
            headers, content = page_headers(response), response.content
            store_page(key, stored(headers, content), version=version, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)
            hold_page(key, version=version, headers=headers, content=content)
        self._count(request, response)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request._portal_counts_as_visit = getattr(view_func, "counts_as_visit", False)

    @staticmethod
    def _anonymous_page(request: HttpRequest) -> bool:
        """A GET or HEAD of a cached public page without a session cookie (so never signed in)."""
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        return _is_cached_page(settings.ROOT_URLCONF, request.path_info)

    def _from_cache(self, request: HttpRequest) -> HttpResponse | None:
        """The cached page with this view counted in its counter, or None (remembered on the request for the
        view and for storing the page it builds, with the data version read before it is built)."""
        request.get_host()  # the Host header checked against ALLOWED_HOSTS, as CommonMiddleware would
        language = chosen_language(request)
        translation.activate(language)  # as apps.core.middleware.ChosenLanguageMiddleware; the counter's words
        request.LANGUAGE_CODE = language
        key = page_key(request, language)
        held = held_page(key)
        answer = cached_page_and_count(
            key,
            held=None if held is None else held.version,
            count=_counted_view(request),
            address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        if not answer.current:
            request.portal_page = (key, data_version() if answer.version is None else answer.version)
            return None
        if answer.page is not None:  # this process holds no copy of the current version yet
            headers, content = unstored(answer.page)
            held = hold_page(key, version=cast(int, answer.version), headers=headers, content=content)
        page = cast(HeldPage, held)
        if len(page.parts) == 2:
            content = counter_block(cast(dict[str, int], answer.counts)).encode().join(page.parts)
        else:
            content = page.parts[0]
        response = HttpResponse(content, headers=page.headers)
        response["Content-Length"] = str(len(content))
        response["X-Portal-Cache"] = "hit"
        return response

    @staticmethod
    def _count(request: HttpRequest, response: HttpResponse) -> None:
        shows_counter = (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and COUNTER_PLACEHOLDER in response.content
        )
        counts = None
        if (
            getattr(request, "_portal_counts_as_visit", False)
            and response.status_code == 200
            and _counted_view(request)
        ):
            address, user_agent = client_address(request), request.META.get("HTTP_USER_AGENT", "")
            if shows_counter:  # counted and read at once: one round trip on Redis
                counts = record_visit_and_count(address=address, user_agent=user_agent)
            else:
                record_visit(address=address, user_agent=user_agent)
        if shows_counter:
            response.content = _with_counter(response.content, counts)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))


@functools.lru_cache(maxsize=1024)
def _is_cached_page(urlconf: str, path: str) -> bool:
    """Whether ``path`` is a page of apps.portal.caching.public_page (the addresses asked most, remembered)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "cached_page", False)


def _with_counter(content: bytes, counts: dict[str, int] | None) -> bytes:
    if COUNTER_PLACEHOLDER not in content:
        return content
    return content.replace(COUNTER_PLACEHOLDER, counter_block(visit_counts() if counts is None else counts).encode(), 1)


def counter_block(counts: dict[str, int]) -> str:
    """The counter's HTML: what the template portal/_visitor_counter.html writes (a test holds them equal), put
    together without the template engine, which took a good part of a cached page's time; its words are
    translated once per language."""
    html, number = _counter_layout(translation.get_language())
    return html.format(*(number(counts[key]) for key, _label, _css in COUNTER_ROWS))


@functools.lru_cache(maxsize=8)
def _counter_layout(language: str | None) -> tuple[str, Callable[[int], str]]:
    """The counter's HTML in ``language`` with a {} for each number, and how the language writes a number
    (grouped, as the template's filter does; Python's own grouping where the language groups by thousands)."""
    rows = "".join(
        f"\n    <div{css}><dt>{_braced(escape(_(label)))}</dt><dd>{{}}</dd></div>" for _key, label, css in COUNTER_ROWS
    )
    html = (
        '<section class="box counter" aria-labelledby="counter-title">\n'
        f'  <h2 id="counter-title" class="box__title">{_braced(escape(_("Visitors")))}</h2>\n'
        f'  <dl class="counter__list">{rows}\n  </dl>\n</section>\n'
    )
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping == 3:
        return html, lambda value: f"{value:,}".replace(",", separator)
    return html, grouped


def _braced(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


COUNTER_ROWS = [
    ("online", "Online now", ""),
    ("today", "Today", ""),
    ("yesterday", "Yesterday", ""),
    ("this_month", "This month", ""),
    ("last_month", "Last month", ""),
    ("total", "Total visits", ' class="counter__total"'),
]
