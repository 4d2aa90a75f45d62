"""The page cache keys on what a page reads; an address gets a limited number of uncached answers a minute."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.urls import reverse

from apps.core.signals import records_written_in_bulk
from apps.imports.importer import import_file
from apps.portal.services import data_version
from tests.factories import CommuneFactory, HouseholdFactory, UnitFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
TOO_MANY = "Có quá nhiều yêu cầu từ địa chỉ của bạn"


def test_a_parameter_no_page_reads_is_a_cache_hit(visitor):
    assert visitor.get("/")["X-Portal-Cache"] == "miss"
    assert visitor.get("/?utm=1")["X-Portal-Cache"] == "hit"
    assert visitor.get("/?x=8f3a&utm_source=zalo")["X-Portal-Cache"] == "hit"


def test_the_period_and_scope_parameters_make_a_different_page(visitor):
    results = reverse("portal:results")
    assert visitor.get(results, REVIEW)["X-Portal-Cache"] == "miss"
    assert visitor.get(results, {**REVIEW, "utm": "1"})["X-Portal-Cache"] == "hit"
    assert visitor.get(results, {"to": REVIEW["to"], "from": REVIEW["from"]})["X-Portal-Cache"] == "hit"
    assert visitor.get(results, {"from": REVIEW["from"]})["X-Portal-Cache"] == "miss"


def test_a_cached_page_goes_stale_when_a_record_changes(visitor):
    url = reverse("portal:communes")
    visitor.get(url)
    assert visitor.get(f"{url}?utm=1")["X-Portal-Cache"] == "hit"
    CommuneFactory(name="Xã Mới Lập")
    response = visitor.get(f"{url}?utm=1")
    assert response["X-Portal-Cache"] == "miss"
    assert "Xã Mới Lập" in response.content.decode()


@pytest.fixture
def limit_of_three(settings, monkeypatch):
    # Pages cached and misses counted by earlier tests of this process must not decide these, nor a new
    # minute starting halfway through a test (its requests would count afresh).
    cache.clear()
    monkeypatch.setattr("apps.portal.caching.this_minute", lambda: 29_000_000)
    settings.PORTAL_ANONYMOUS_MISSES_PER_MINUTE = 3
    settings.PORTAL_CLIENT_ADDRESS_META = "HTTP_X_REAL_IP"


def test_an_address_gets_a_limited_number_of_uncached_pages_a_minute(visitor, limit_of_three):
    results = reverse("portal:results")
    for year in (2015, 2016, 2017):
        response = visitor.get(results, {"from": f"{year}-01-01"}, HTTP_X_REAL_IP="203.0.113.7")
        assert response.status_code == 200
    response = visitor.get(results, {"from": "2018-01-01"}, HTTP_X_REAL_IP="203.0.113.7")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert TOO_MANY in response.content.decode()
    # Cached pages still answer, and another address is not affected.
    assert visitor.get(results, {"from": "2015-01-01"}, HTTP_X_REAL_IP="203.0.113.7").status_code == 200
    assert visitor.get(results, {"from": "2018-01-01"}, HTTP_X_REAL_IP="198.51.100.20").status_code == 200


def test_open_data_counts_against_the_same_limit_and_answers_in_json(client, limit_of_three):
    url = reverse("portal:summary_json")
    for year in (2015, 2016, 2017):
        assert client.get(url, {"from": f"{year}-01-01"}, HTTP_X_REAL_IP="203.0.113.7").status_code == 200
    response = client.get(url, {"from": "2018-01-01"}, HTTP_X_REAL_IP="203.0.113.7")
    assert response.status_code == 429
    assert TOO_MANY in response.json()["error"]


def test_signed_in_staff_are_never_rate_limited(client, district_officer, limit_of_three):
    client.force_login(district_officer)
    url = reverse("portal:summary_json")
    answers = [client.get(url, {"from": f"{year}-01-01"}).status_code for year in range(2014, 2020)]
    assert answers == [200] * 6


def test_a_cached_page_stays_cached_until_the_data_changes_however_long(visitor, settings, monkeypatch):
    settings.PORTAL_PAGE_CACHE_SECONDS = 26 * 3600  # production's, with the shared cache (Redis)
    url = reverse("portal:communes")
    assert visitor.get(url)["X-Portal-Cache"] == "miss"
    six_hours_later = time.time() + 6 * 3600
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: six_hours_later))  # the cache's clock
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    CommuneFactory(name="Xã Sáu Giờ Sau")
    response = visitor.get(url)
    assert response["X-Portal-Cache"] == "miss"
    assert "Xã Sáu Giờ Sau" in response.content.decode()
    assert visitor.get(url)["X-Portal-Cache"] == "hit"


def test_a_write_in_bulk_that_is_announced_makes_the_pages_stale(visitor):
    url = reverse("portal:communes")
    visitor.get(url)
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    records_written_in_bulk.send(sender=test_a_write_in_bulk_that_is_announced_makes_the_pages_stale)
    assert visitor.get(url)["X-Portal-Cache"] == "miss"


def test_loading_the_demo_makes_the_pages_stale(visitor):
    url = reverse("portal:home")
    visitor.get(url)
    call_command("load_demo", verbosity=0)  # bulk_create, no save signals; nothing new on a loaded demo
    assert visitor.get(url)["X-Portal-Cache"] == "miss"


def test_the_pages_go_stale_once_more_when_the_writing_transaction_commits(visitor, django_capture_on_commit_callbacks):
    url = reverse("portal:communes")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        CommuneFactory(name="Xã Trước Khi Ghi")
        CommuneFactory(name="Xã Cũng Trước Khi Ghi")
        # Another server could cache the page now, from the data as it was before the commit…
        visitor.get(url)
        assert visitor.get(url)["X-Portal-Cache"] == "hit"
    assert len(callbacks) == 1  # once per transaction, however many records it wrote
    assert visitor.get(url)["X-Portal-Cache"] == "miss"  # …so the commit makes it stale again


def test_an_import_makes_the_pages_stale_once_for_the_whole_file(visitor):
    """The importer inserts many rows per statement (no post_save per row): it tells the portal once per file."""
    unit, household = UnitFactory(), HouseholdFactory()
    rows = [["reference", "date", "unit_code", "kind", "amount_vnd", "beneficiary_kind", "beneficiary_code"]]
    rows += [[f"STALE-{n}", "10/05/2020", unit.code, "money", "100.000", "household", household.code] for n in range(3)]
    url = reverse("portal:home")
    visitor.get(url)
    assert visitor.get(url)["X-Portal-Cache"] == "hit"
    before = data_version()

    report = import_file("donations", csv_bytes(rows), "donations.csv")

    assert report.written and report.created == 3
    assert data_version() == before + 1
    assert visitor.get(url)["X-Portal-Cache"] == "miss"
