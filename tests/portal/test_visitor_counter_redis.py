"""On Redis (production), a counted page view is counted and the counter read in one round trip (issue 10):
the counter shown and kept is the same, view for view, as counting and reading one operation at a time."""

import datetime
import os
import zoneinfo

import pytest
from django.core.cache import caches
from django.test import override_settings

from apps.portal import services
from apps.portal.selectors import visit_counts
from apps.portal.services import ONLINE_PER_ADDRESS, record_visit, record_visit_and_count

pytestmark = pytest.mark.django_db

REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "11"))  # the tests' own Redis database (tests/deploy)
REDIS = {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}"}
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def on_redis():
    with override_settings(
        CACHES={"default": REDIS, "counters": REDIS},
        PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE=4,
        PORTAL_VISITS_FLUSH_EVERY=1_000_000,
        PORTAL_VISITS_FLUSH_SECONDS=0,
    ):
        caches["counters"].clear()  # fails, as it should, when Redis is not running: CI starts it (.ci/run)
        yield
        caches["counters"].clear()


# Views over two minutes: several visitors of one address (more than ONLINE_PER_ADDRESS), one address over the
# per-minute limit, a visitor coming back in the next minute.
VIEWS = [
    (datetime.datetime(2026, 12, 2, 9, minute, second, tzinfo=VN), address, agent)
    for minute, second, address, agent in [
        (0, 1, "10.0.0.1", "Firefox"),
        (0, 2, "10.0.0.1", "Firefox"),
        (0, 3, "10.0.0.2", "Chrome"),
        (0, 4, "10.0.0.2", "Safari"),
        (0, 5, "10.0.0.2", "Edge"),
        (0, 6, "10.0.0.2", "Opera"),  # a fourth visitor of one address: counted as a view, not as online
        (0, 7, "10.0.0.2", "Vivaldi"),  # a fifth view of the address this minute: over the limit of 4
        (0, 8, "10.0.0.3", "Firefox"),
        (1, 1, "10.0.0.1", "Firefox"),  # back the next minute: moves, not added
        (1, 2, "10.0.0.2", "Vivaldi"),
        (1, 3, "10.0.0.4", "Firefox"),
    ]
]


def test_one_round_trip_counts_and_shows_exactly_what_one_operation_at_a_time_does(on_redis, monkeypatch):
    assert services._redis_client() is not None  # the one-round-trip path is the one measured here
    at_once = [record_visit_and_count(address=a, user_agent=ua, now=now) for now, a, ua in VIEWS]
    caches["counters"].clear()
    monkeypatch.setattr(services, "_redis_client", lambda: None)
    one_by_one = [record_visit_and_count(address=a, user_agent=ua, now=now) for now, a, ua in VIEWS]

    assert at_once == one_by_one
    assert [counts["today"] for counts in at_once] == [1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10]
    assert at_once[7]["online"] == 2 + ONLINE_PER_ADDRESS  # two lone visitors, three of the shared address
    assert at_once[-1]["online"] == 2 + ONLINE_PER_ADDRESS + 1


def test_the_counter_read_after_a_view_is_the_one_the_view_was_shown(on_redis):
    now, address, agent = VIEWS[0]
    shown = record_visit_and_count(address=address, user_agent=agent, now=now)
    assert shown == visit_counts(now=now)
    record_visit(address="10.0.0.9", user_agent=agent, now=now)
    assert record_visit_and_count(address=address, user_agent=agent, now=now)["today"] == 3


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_counter_block_is_the_templates_html(language):
    from django.template.loader import render_to_string
    from django.utils import translation

    from apps.portal.middleware import counter_block

    counts = {"online": 3, "today": 1009, "yesterday": 0, "this_month": 25_000, "last_month": 7, "total": 1_234_567}
    with translation.override(language):
        assert counter_block(counts) == render_to_string("portal/_visitor_counter.html", {"counts": counts})
    if language == "vi":
        assert "<dd>1.234.567</dd>" in counter_block(counts)
