import datetime
import io
import threading
import zoneinfo

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.portal import services
from apps.portal.models import DailyVisits, FlushedVisits
from apps.portal.selectors import visit_counts
from apps.portal.services import ONLINE_PER_ADDRESS, flush_visits, record_visit, set_carried_over_total
from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
VISITS = reverse("portal:visits_json")
counters = caches["counters"]


def at(*args) -> datetime.datetime:
    """A moment in Vietnamese time."""
    return datetime.datetime(*args, tzinfo=VN)


def test_a_public_page_view_counts_once(visitor):
    before = visitor.get(VISITS).json()
    visitor.get(reverse("portal:home"))
    after = visitor.get(VISITS).json()
    assert after["today"] == before["today"] + 1
    assert after["this_month"] == before["this_month"] + 1
    assert after["total"] == before["total"] + 1


def test_the_page_shows_the_counter_including_its_own_view(visitor):
    before = visitor.get(VISITS).json()
    page = visitor.get(reverse("portal:communes")).content.decode()
    assert "<!--portal:visitor-counter-->" not in page
    assert f"{before['total'] + 1:,}".replace(",", ".") in page


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Wget/1.21.4",
        "Go-http-client/2.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36",
        "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
        "Mozilla/5.0 Playwright/1.48",
        "Mozilla/5.0 Puppeteer",
        "Mozilla/5.0 Selenium WebDriver",
        "",
    ],
)
def test_bots_and_scripts_are_not_counted(client, user_agent):
    before = client.get(VISITS).json()["today"]
    assert client.get(reverse("portal:home"), HTTP_USER_AGENT=user_agent).status_code == 200
    assert client.get(VISITS).json()["today"] == before


def test_fetching_the_counter_itself_is_not_a_visit(visitor):
    first = visitor.get(VISITS).json()
    second = visitor.get(VISITS).json()
    assert second == first
    assert set(first) == {"online", "today", "yesterday", "this_month", "last_month", "total"}


def test_not_found_pages_and_open_data_files_are_not_visits(visitor):
    before = visitor.get(VISITS).json()["today"]
    visitor.get("/xa-thi-tran/NO_SUCH_COMMUNE/")
    visitor.get(reverse("portal:summary_json"))
    assert visitor.get(VISITS).json()["today"] == before


def test_online_counts_distinct_visitors_of_the_last_five_minutes():
    now = at(2025, 3, 10, 9, 0)
    record_visit(address="198.51.100.1", user_agent=BROWSER, now=now - datetime.timedelta(minutes=1))
    record_visit(address="198.51.100.1", user_agent=BROWSER, now=now)  # the same visitor again
    record_visit(address="198.51.100.2", user_agent=BROWSER, now=now - datetime.timedelta(minutes=4))
    record_visit(address="198.51.100.2", user_agent="Firefox/128.0", now=now - datetime.timedelta(minutes=2))
    record_visit(address="198.51.100.3", user_agent=BROWSER, now=now - datetime.timedelta(minutes=6))  # gone
    assert visit_counts(now=now)["online"] == 3
    assert visit_counts(now=now + datetime.timedelta(minutes=10))["online"] == 0


def test_days_and_months_follow_vietnamese_time():
    # 23:30 on 31 March in Vietnam is still March; 00:30 on 1 April is April (17:30 UTC the day before).
    record_visit(address="a", user_agent=BROWSER, now=at(2025, 3, 31, 23, 30))
    record_visit(address="b", user_agent=BROWSER, now=at(2025, 4, 1, 0, 30))
    record_visit(address="c", user_agent=BROWSER, now=at(2025, 4, 1, 9, 0))
    record_visit(address="d", user_agent=BROWSER, now=at(2025, 3, 2, 12, 0))
    counts = visit_counts(now=at(2025, 4, 1, 10, 0))
    assert counts["today"] == 2
    assert counts["yesterday"] == 1
    assert counts["this_month"] == 2
    assert counts["last_month"] == 2


def test_yesterday_across_a_month_and_year_boundary():
    record_visit(address="a", user_agent=BROWSER, now=at(2024, 12, 31, 8, 0))
    counts = visit_counts(now=at(2025, 1, 1, 8, 0))
    assert counts["yesterday"] == 1 and counts["last_month"] == 1 and counts["this_month"] == 0


def test_the_carried_over_total_is_added_to_the_total(visitor):
    set_carried_over_total(0)
    counted = visitor.get(VISITS).json()["total"]
    set_carried_over_total(10_114_391)
    assert visitor.get(VISITS).json()["total"] == counted + 10_114_391


def test_no_address_is_stored(visitor):
    visitor.get(reverse("portal:home"), REMOTE_ADDR="203.0.113.77")
    flush_visits()
    stored = [str(item) for store in (cache, counters) for item in (*store._cache, *store._cache.values())]
    with connection.cursor() as cursor:
        for table in ("portal_dailyvisits", "portal_flushedvisits"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            stored += [str(row) for row in cursor.fetchall()]
    assert any("portal:online:" in key for key in stored)
    assert all("203.0.113" not in value for value in stored)


def test_behind_a_proxy_visitors_are_told_apart_by_the_header_the_proxy_sets(visitor, settings):
    settings.PORTAL_CLIENT_ADDRESS_META = "HTTP_X_REAL_IP"
    before = visitor.get(VISITS).json()["online"]
    for address in ("198.51.100.20", "198.51.100.21", "198.51.100.20"):
        visitor.get(reverse("portal:home"), REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=address)
    assert visitor.get(VISITS).json()["online"] == before + 2


def test_the_same_visitor_is_not_recognisable_from_one_day_to_the_next():
    record_visit(address="203.0.113.8", user_agent=BROWSER, now=at(2025, 5, 1, 23, 58))
    record_visit(address="203.0.113.8", user_agent=BROWSER, now=at(2025, 5, 2, 0, 1))
    assert visit_counts(now=at(2025, 5, 2, 0, 2))["online"] == 2


def test_every_view_counts_when_the_page_comes_from_the_cache(visitor):
    url = reverse("portal:units")
    before = visitor.get(VISITS).json()["today"]
    assert visitor.get(url)["X-Portal-Cache"] == "miss"
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    assert visitor.get(VISITS).json()["today"] == before + 3


def test_a_cached_page_still_shows_the_current_counter(visitor):
    url = reverse("portal:units")
    visitor.get(url)
    set_carried_over_total(5_000_000)
    total = visitor.get(VISITS).json()["total"]
    page = visitor.get(url).content.decode()
    assert f"{total + 1:,}".replace(",", ".") in page


def _in_other_connections(threads_count: int, work) -> None:
    """Run ``work(n)`` in threads, each with its own database connection, committing as a live site would."""
    barrier = threading.Barrier(threads_count)

    def run(worker: int) -> None:
        try:
            barrier.wait()
            work(worker)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_no_view_is_lost_when_many_arrive_at_once():
    """Eight clients at once, each in its own committed transaction (the test's own transaction sees them)."""
    threads_count, views_each = 8, 25
    day = at(1999, 6, 15, 10, 0)  # a day no other test uses: these rows are committed, so removed at the end

    def visit(worker: int) -> None:
        for view in range(views_each):
            record_visit(address=f"10.0.{worker}.{view}", user_agent=BROWSER, now=day)

    total_before = visit_counts(now=day)["total"]
    try:
        _in_other_connections(threads_count, visit)
        counts = visit_counts(now=day)
        assert counts["today"] == counts["total"] - total_before == threads_count * views_each
        assert counts["online"] == threads_count * views_each
        _in_other_connections(1, lambda _n: flush_visits(now=day))
        assert DailyVisits.objects.get(day=day.date()).views == threads_count * views_each
        assert visit_counts(now=day)["today"] == threads_count * views_each
    finally:
        _in_other_connections(
            1,
            lambda _n: (
                DailyVisits.objects.filter(day=day.date()).delete(),
                FlushedVisits.objects.filter(day=day.date()).delete(),
            ),
        )


def test_one_address_varying_its_user_agent_is_a_few_visitors_online_at_most(visitor, settings):
    settings.PORTAL_CLIENT_ADDRESS_META = "HTTP_X_REAL_IP"
    before = visitor.get(VISITS).json()["online"]
    for n in range(20):
        visitor.get(reverse("portal:home"), HTTP_X_REAL_IP="198.51.100.30", HTTP_USER_AGENT=f"{BROWSER} v{n}")
    visitor.get(reverse("portal:home"), HTTP_X_REAL_IP="198.51.100.31")  # someone else is still counted
    assert visitor.get(VISITS).json()["online"] == before + ONLINE_PER_ADDRESS + 1


def test_the_address_makes_room_again_once_its_visitors_leave():
    now = at(2025, 3, 10, 9, 0)
    for n in range(5):
        record_visit(address="198.51.100.40", user_agent=f"{BROWSER} v{n}", now=now)
    assert visit_counts(now=now)["online"] == ONLINE_PER_ADDRESS
    later = now + datetime.timedelta(minutes=6)
    record_visit(address="198.51.100.40", user_agent=f"{BROWSER} v9", now=later)
    record_visit(address="198.51.100.40", user_agent=BROWSER, now=later)
    assert visit_counts(now=later)["online"] == 2


def test_a_visitor_already_online_is_seen_again_when_the_address_is_full():
    now = at(2025, 3, 10, 9, 0)
    for n in range(ONLINE_PER_ADDRESS + 2):
        record_visit(address="198.51.100.41", user_agent=f"{BROWSER} v{n}", now=now)
    # The first visitor comes back after four minutes: still online one minute after the others left.
    record_visit(address="198.51.100.41", user_agent=f"{BROWSER} v0", now=now + datetime.timedelta(minutes=4))
    assert visit_counts(now=now + datetime.timedelta(minutes=5, seconds=30))["online"] == 1


def test_views_beyond_a_plausible_rate_from_one_address_are_not_counted(settings):
    settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE = 60
    cache.clear()
    now = at(2025, 3, 11, 9, 0, 5)
    for _ in range(200):
        record_visit(address="198.51.100.50", user_agent=BROWSER, now=now)
    record_visit(address="198.51.100.51", user_agent=BROWSER, now=now)  # another address is not held back
    assert visit_counts(now=now)["today"] == 61
    record_visit(address="198.51.100.50", user_agent=BROWSER, now=now + datetime.timedelta(minutes=1))
    assert visit_counts(now=now)["today"] == 62


def test_the_rate_limit_keeps_no_address_in_the_cache(settings):
    settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE = 60
    cache.clear()
    record_visit(address="203.0.113.99", user_agent=BROWSER, now=at(2025, 3, 11, 9, 0))
    keys = [key for key in cache._cache if "portal:views:" in key]  # the local-memory cache of the tests
    assert keys and all("203.0.113" not in key for key in keys)


def test_many_threads_from_one_address_add_no_more_than_the_limit_online():
    """The limit holds when one address's requests arrive at once on several connections."""
    threads_count = 8
    day = at(1999, 6, 16, 10, 0)  # committed rows: removed at the end

    def visit(worker: int) -> None:
        record_visit(address="10.9.9.9", user_agent=f"{BROWSER} t{worker}", now=day)

    try:
        _in_other_connections(threads_count, visit)
        assert visit_counts(now=day)["online"] == ONLINE_PER_ADDRESS
    finally:
        _in_other_connections(
            1,
            lambda _n: (
                DailyVisits.objects.filter(day=day.date()).delete(),
                FlushedVisits.objects.filter(day=day.date()).delete(),
            ),
        )


# --- Counted in the cache, written to the database in batches ---------------------------------------------


@pytest.fixture
def batches_of(settings):
    """Flushes only at every ``n``-th view of a day (no flush for time within a test)."""

    def configure(n: int) -> None:
        counters.clear()
        settings.PORTAL_VISITS_FLUSH_EVERY = n
        settings.PORTAL_VISITS_FLUSH_SECONDS = 3600
        counters.add("portal:visits:flush-due", True, timeout=3600)  # as if a flush had just happened

    return configure


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_many_views_are_counted_exactly_with_a_database_write_per_batch(batches_of):
    batches_of(50)
    now = at(2025, 8, 4, 10, 0)
    with CaptureQueriesContext(connection) as queries:
        for n in range(250):
            record_visit(address=f"10.20.{n // 200}.{n % 200}", user_agent=BROWSER, now=now)
    assert visit_counts(now=now)["today"] == 250
    assert DailyVisits.objects.get(day=now.date()).views == 250  # the 250th view flushed the last batch
    assert len(_writes(queries)) <= 5 * 3  # five flushes, three statements each; 250 views


def test_views_not_yet_written_to_the_database_are_shown(batches_of):
    batches_of(1000)
    now = at(2025, 8, 5, 10, 0)
    for n in range(7):
        record_visit(address=f"10.21.0.{n}", user_agent=BROWSER, now=now)
    assert not DailyVisits.objects.filter(day=now.date()).exists()
    counts = visit_counts(now=now)
    assert counts["today"] == counts["this_month"] == 7
    assert flush_visits(now=now) == 7
    assert flush_visits(now=now) == 0  # a second flush finds nothing new: no view counted twice
    assert DailyVisits.objects.get(day=now.date()).views == 7
    assert visit_counts(now=now)["today"] == 7


def test_the_counter_stays_exact_whenever_the_flush_happens(batches_of):
    batches_of(1000)
    now = at(2025, 8, 6, 10, 0)
    for n in range(5):
        record_visit(address=f"10.22.0.{n}", user_agent=BROWSER, now=now)
    assert visit_counts(now=now)["today"] == 5  # the database's part is now kept in the cache…
    flush_visits(now=now)  # …and a flush moves the views to the database behind its back
    for n in range(3):
        record_visit(address=f"10.22.1.{n}", user_agent=BROWSER, now=now)
    counts = visit_counts(now=now)
    assert counts["today"] == 8
    flush_visits(now=now)
    assert visit_counts(now=now) == counts


def test_views_already_written_survive_a_cache_that_lost_its_counters(batches_of, visitor):
    batches_of(1000)
    now = at(2025, 8, 7, 10, 0)
    for n in range(5):
        record_visit(address=f"10.23.0.{n}", user_agent=BROWSER, now=now)
    flush_visits(now=now)
    total = visitor.get(VISITS).json()["total"]
    counters.clear()  # Redis restarted without its data: a new epoch of counters
    for n in range(2):
        record_visit(address=f"10.23.1.{n}", user_agent=BROWSER, now=now)
    assert visit_counts(now=now)["today"] == 7
    flush_visits(now=now)
    assert DailyVisits.objects.get(day=now.date()).views == 7
    assert visitor.get(VISITS).json()["total"] == total + 2


def test_views_of_yesterday_still_waiting_are_written_by_a_flush_today(batches_of):
    batches_of(1000)
    evening, morning = at(2025, 8, 8, 23, 59), at(2025, 8, 9, 0, 1)
    for n in range(3):
        record_visit(address=f"10.24.0.{n}", user_agent=BROWSER, now=evening)
    record_visit(address="10.24.1.1", user_agent=BROWSER, now=morning)
    assert visit_counts(now=morning)["yesterday"] == 3
    assert flush_visits(now=morning) == 4
    assert DailyVisits.objects.get(day=evening.date()).views == 3
    assert visit_counts(now=morning)["yesterday"] == 3 and visit_counts(now=morning)["today"] == 1


def test_the_first_view_some_seconds_after_a_flush_flushes(settings, monkeypatch):
    counters.clear()
    settings.PORTAL_VISITS_FLUSH_SECONDS = 10
    monkeypatch.setattr(services, "_next_look_at_the_gate", 0.0)
    now = at(2025, 8, 10, 10, 0)
    record_visit(address="10.26.0.1", user_agent=BROWSER, now=now)  # nothing flushed for ten seconds: this one
    record_visit(address="10.26.0.2", user_agent=BROWSER, now=now)  # a flush happened a moment ago
    assert DailyVisits.objects.get(day=now.date()).views == 1
    assert visit_counts(now=now)["today"] == 2


def test_the_flush_command_writes_what_the_cache_counted(batches_of):
    batches_of(1000)
    today = timezone.localdate()
    before = DailyVisits.objects.filter(day=today).values_list("views", flat=True).first() or 0
    for n in range(4):
        record_visit(address=f"10.25.0.{n}", user_agent=BROWSER)
    output = io.StringIO()
    call_command("flush_visits", stdout=output)
    assert DailyVisits.objects.get(day=today).views == before + 4
    assert "4" in output.getvalue()


def test_a_page_from_the_cache_with_its_counter_costs_no_database_query(visitor, django_assert_num_queries):
    url = reverse("portal:communes")
    visitor.get(url)
    visitor.get(url)
    with django_assert_num_queries(0):
        response = visitor.get(url)
    assert response["X-Portal-Cache"] == "hit"
    assert "<!--portal:visitor-counter-->" not in response.content.decode()
