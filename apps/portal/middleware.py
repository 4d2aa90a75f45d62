"""Counts public page views and fills the visitor counter into every page, cached or not."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.core.http import client_address
from apps.core.numbers import grouped
from apps.portal.selectors import visit_counts
from apps.portal.services import record_visit, record_visit_and_count

COUNTER_PLACEHOLDER = b"<!--portal:visitor-counter-->"
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


class VisitCounterMiddleware:
    """Sits outside the page cache (the cache is a view decorator), so a cached page still counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        shows_counter = (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and COUNTER_PLACEHOLDER in response.content
        )
        counts = None
        if (
            getattr(request, "_portal_counts_as_visit", False)
            and request.method == "GET"
            and response.status_code == 200
        ):
            user_agent = request.META.get("HTTP_USER_AGENT", "")
            if not is_bot(user_agent):
                if shows_counter:  # counted and read at once: one round trip on Redis
                    counts = record_visit_and_count(address=client_address(request), user_agent=user_agent)
                else:
                    record_visit(address=client_address(request), user_agent=user_agent)
        if shows_counter:
            counts = visit_counts() if counts is None else counts
            block = counter_block(counts)
            response.content = response.content.replace(COUNTER_PLACEHOLDER, block.encode(), 1)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request._portal_counts_as_visit = getattr(view_func, "counts_as_visit", False)


def counter_block(counts: dict[str, int]) -> str:
    """The counter's HTML: what the template portal/_visitor_counter.html writes (a test holds them equal), put
    together without the template engine, which took a good part of a cached page's time."""
    rows = "".join(
        f"\n    <div{css}><dt>{escape(_(label))}</dt><dd>{grouped(counts[key])}</dd></div>"
        for key, label, css in COUNTER_ROWS
    )
    return (
        '<section class="box counter" aria-labelledby="counter-title">\n'
        f'  <h2 id="counter-title" class="box__title">{escape(_("Visitors"))}</h2>\n'
        f'  <dl class="counter__list">{rows}\n  </dl>\n</section>\n'
    )


COUNTER_ROWS = [
    ("online", "Online now", ""),
    ("today", "Today", ""),
    ("yesterday", "Yesterday", ""),
    ("this_month", "This month", ""),
    ("last_month", "Last month", ""),
    ("total", "Total visits", ' class="counter__total"'),
]
