"""The read-replica router (apps/core/db_routers.py), with "replica" a test mirror of the default database."""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.donations.models import Donation
from apps.portal.models import DailyVisits
from tests.portal.seeds import BROWSER

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

SUMMARY = reverse("portal:summary_json")
REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}


@pytest.fixture
def with_replica(settings):
    """The settings DATABASE_REPLICA_URL adds (taybinh/settings.py)."""
    settings.DATABASE_ROUTERS = ["apps.core.db_routers.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "apps.core.db_routers.ReplicaReadsMiddleware"]


def _queries(alias: str, do) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connections[alias]) as captured:
        result = do()
    return result, [query["sql"] for query in captured.captured_queries]


def test_open_data_is_read_from_the_replica_with_the_same_figures(client, with_replica):
    figures, on_replica = _queries("replica", lambda: client.get(SUMMARY, REVIEW).json())
    # The figures kept ahead of time (apps.donations.models.SectorDay & co.) are read there.
    assert any('"donations_sectorday"' in sql for sql in on_replica)
    assert figures["total"]["household_visits"] == 1325  # the review's figure (tests/portal/test_open_data.py)


def test_public_pages_and_reports_read_from_the_replica(client, leader, with_replica):
    _, public = _queries("replica", lambda: client.get(reverse("portal:units"), HTTP_USER_AGENT=BROWSER))
    assert public
    client.force_login(leader)
    response, report = _queries("replica", lambda: client.get(reverse("reports:summary"), REVIEW))
    assert response.status_code == 200 and report


def test_the_visitor_counter_and_the_login_stay_on_the_primary(client, leader, with_replica):
    client.force_login(leader)
    _, on_replica = _queries("replica", lambda: client.get(reverse("portal:visits_json")))
    assert on_replica == []  # current to the moment: never a lagging copy
    _, on_replica = _queries("replica", lambda: client.get(reverse("reports:monitoring")))
    assert not any('"auth_user"' in sql or '"django_session"' in sql for sql in on_replica)


def test_the_admin_and_every_write_use_the_primary(admin_client, with_replica):
    _, on_replica = _queries("replica", lambda: admin_client.get(reverse("admin:donations_donation_changelist")))
    assert on_replica == []
    assert router.db_for_write(Donation) == "default"
    assert router.db_for_read(Donation) == "default"  # outside a read-only request


def test_the_replica_receives_no_migrations(with_replica):
    assert router.allow_migrate("replica", "donations") is False
    assert router.allow_migrate("default", "donations") is True


def test_without_a_replica_everything_is_one_database(client):
    _, on_replica = _queries("replica", lambda: client.get(SUMMARY))
    assert on_replica == []
    assert router.db_for_read(DailyVisits) == "default"
