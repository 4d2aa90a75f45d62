import datetime
import threading
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.urls import reverse

from apps.portal.models import DailyVisits, OnlineVisitor
from apps.portal.selectors import visit_counts
from apps.portal.services import ONLINE_PER_ADDRESS, record_visit, set_carried_over_total
from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
VISITS = reverse("portal:visits_json")


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
    with connection.cursor() as cursor:
        cursor.execute("SELECT visitor_hash FROM portal_onlinevisitor")
        hashes = [row[0] for row in cursor.fetchall()]
    assert hashes and all("203.0.113" not in value for value in hashes)
    assert [f.name for f in OnlineVisitor._meta.get_fields()] == ["id", "visitor_hash", "last_seen"]


def test_behind_a_proxy_visitors_are_told_apart_by_the_header_the_proxy_sets(visitor, settings):
    settings.PORTAL_CLIENT_ADDRESS_META = "HTTP_X_REAL_IP"
    before = visitor.get(VISITS).json()["online"]
    for address in ("198.51.100.20", "198.51.100.21", "198.51.100.20"):
        visitor.get(reverse("portal:home"), REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=address)
    assert visitor.get(VISITS).json()["online"] == before + 2


def test_the_same_visitor_is_not_recognisable_from_one_day_to_the_next():
    record_visit(address="203.0.113.8", user_agent=BROWSER, now=at(2025, 5, 1, 23, 58))
    record_visit(address="203.0.113.8", user_agent=BROWSER, now=at(2025, 5, 2, 0, 1))
    assert OnlineVisitor.objects.count() == 2


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

    try:
        _in_other_connections(threads_count, visit)
        assert DailyVisits.objects.get(day=day.date()).views == threads_count * views_each
        assert visit_counts(now=day)["online"] == threads_count * views_each
    finally:
        _in_other_connections(
            1,
            lambda _n: (
                DailyVisits.objects.filter(day=day.date()).delete(),
                OnlineVisitor.objects.filter(last_seen__lte=day).delete(),
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
                OnlineVisitor.objects.filter(last_seen__lte=day).delete(),
            ),
        )
