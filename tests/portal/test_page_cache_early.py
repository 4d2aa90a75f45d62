"""An anonymous visitor's cached public page is answered before the rest of the middleware (issue 10): no
session, no user, no query, the same headers as when it was built, and every view still counted exactly. A
request with a session cookie (staff) goes the whole way. Run on the default cache (each process's memory) and
on Redis, where the data version, the view and the counter are one round trip."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from apps.portal import caching
from apps.portal import services as portal_services
from apps.portal.caching import COUNTER_PLACEHOLDER
from tests.factories import CommuneFactory
from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db

VISITS = reverse("portal:visits_json")
REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "11"))  # the tests' own Redis database (tests/deploy)
REDIS = {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}"}
# The headers the middleware after the page cache and the view set: a hit must carry them all, as built.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Security-Policy",
    "Content-Language",
    "Cache-Control",
    "X-Frame-Options",
    "Vary",
)


@pytest.fixture(params=["memory", "redis"])
def cache_kind(request):
    """Each test twice: on the default cache (no Redis) and on Redis, production's."""
    if request.param == "memory":
        assert portal_services._page_redis_client() is None
        yield request.param
        return
    with override_settings(CACHES={"default": REDIS, "counters": REDIS}):
        caches["counters"].clear()  # fails, as it should, when Redis is not running: CI starts it (.ci/run)
        assert portal_services._page_redis_client() is not None  # the one-round-trip path is the one tested
        yield request.param
        caches["counters"].clear()


def _without_counter(content: bytes) -> str:
    page = content.decode()
    start = page.index('<section class="box counter"')
    return page[:start] + page[page.index("</section>", start) :]


def _today(client) -> int:
    return client.get(VISITS).json()["today"]


def test_a_hit_runs_no_session_no_authentication_and_no_query(visitor, cache_kind, django_assert_num_queries):
    url = reverse("portal:communes")
    miss = visitor.get(url)
    assert miss["X-Portal-Cache"] == "miss"
    assert hasattr(miss.wsgi_request, "session") and hasattr(miss.wsgi_request, "user")
    visitor.get(url)  # the counter's database part is read now and then; not on the view measured
    with django_assert_num_queries(0):
        hit = visitor.get(url)
    assert hit["X-Portal-Cache"] == "hit"
    # SessionMiddleware, AuthenticationMiddleware (and all after them) never saw the request.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_a_hit_has_the_headers_the_page_was_built_with(visitor, cache_kind):
    url = reverse("portal:home")
    miss = visitor.get(url)
    hit = visitor.get(url)
    assert (miss["X-Portal-Cache"], hit["X-Portal-Cache"]) == ("miss", "hit")
    assert {name: hit.get(name) for name in KEPT_HEADERS} == {name: miss.get(name) for name in KEPT_HEADERS}
    assert "script-src 'none'" in hit["Content-Security-Policy"]  # the public pages' strict policy
    assert hit["Content-Language"] == "vi"
    assert "public" in hit["Cache-Control"] and "no-cache" in hit["Cache-Control"]
    assert int(hit["Content-Length"]) == len(hit.content)
    assert not hit.cookies


def test_the_language_chosen_makes_its_own_page_and_counter(visitor, cache_kind):
    url = reverse("portal:units")
    visitor.get(url)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = [visitor.get(url) for _ in range(2)]
    assert [page["X-Portal-Cache"] for page in english] == ["miss", "hit"]
    assert english[1]["Content-Language"] == "en"
    assert "Total visits" in english[1].content.decode()
    del visitor.cookies[settings.LANGUAGE_COOKIE_NAME]
    vietnamese = visitor.get(url)
    assert vietnamese["X-Portal-Cache"] == "hit"
    assert vietnamese["Content-Language"] == "vi"
    assert "Total visits" not in vietnamese.content.decode()


def test_every_hit_is_counted_exactly_and_shows_its_own_view(visitor, cache_kind):
    url = reverse("portal:communes")
    before = _today(visitor)
    pages = [visitor.get(url) for _ in range(5)]
    assert [page["X-Portal-Cache"] for page in pages] == ["miss"] + ["hit"] * 4
    assert _today(visitor) == before + 5
    for number, page in enumerate(pages, start=1):
        assert COUNTER_PLACEHOLDER.decode() not in page.content.decode()
        assert f"<dt>Hôm nay</dt><dd>{before + number}</dd>" in page.content.decode()


def test_a_hit_for_a_bot_or_a_head_request_is_not_counted(visitor, cache_kind):
    url = reverse("portal:communes")
    visitor.get(url)
    before = _today(visitor)
    bot = visitor.get(url, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    head = visitor.head(url)
    assert (bot["X-Portal-Cache"], head["X-Portal-Cache"]) == ("hit", "hit")
    assert _today(visitor) == before
    assert f"<dt>Hôm nay</dt><dd>{before}</dd>" in bot.content.decode()  # the counter, shown but not raised


def test_a_change_makes_the_page_of_every_process_stale(visitor, cache_kind):
    url = reverse("portal:communes")
    visitor.get(url)
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    caching._held.clear()  # another process: no copy of its own, the shared cache's (or its own cache's) page
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    CommuneFactory(name="Xã Vừa Đổi Tên")
    page = visitor.get(url)
    assert page["X-Portal-Cache"] == "miss"
    assert "Xã Vừa Đổi Tên" in page.content.decode()


def test_signed_in_staff_go_the_whole_way_and_see_the_same_page_kept_private(client, district_officer, cache_kind):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    url = reverse("portal:communes")
    anonymous = client.get(url)
    client.force_login(district_officer)
    staff = client.get(url)
    assert staff.wsgi_request.user == district_officer  # through the authentication middleware
    assert staff["X-Portal-Cache"] == "hit"  # the page the public sees (the pages show staff nothing else)…
    assert "private" in staff["Cache-Control"] and "no-store" in staff["Cache-Control"]  # …kept out of caches
    assert _without_counter(staff.content) == _without_counter(anonymous.content)
    client.logout()
    assert "private" not in client.get(url)["Cache-Control"]


def test_a_page_staff_saw_first_is_not_kept_with_their_headers(client, district_officer, cache_kind):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    url = reverse("portal:units")
    client.force_login(district_officer)
    assert client.get(url)["X-Portal-Cache"] == "miss"
    client.logout()
    client.cookies.clear()
    anonymous = client.get(url)
    assert anonymous["X-Portal-Cache"] == "miss"  # built afresh: the staff's answer was not stored
    hit = client.get(url)
    assert hit["X-Portal-Cache"] == "hit"
    assert "private" not in hit["Cache-Control"] and "public" in hit["Cache-Control"]


def test_a_host_not_allowed_is_refused_before_the_cache(visitor, cache_kind):
    url = reverse("portal:communes")
    visitor.get(url)
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    assert visitor.get(url, HTTP_HOST="attacker.example").status_code == 400
