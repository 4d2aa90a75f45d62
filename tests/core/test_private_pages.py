"""Pages behind the login are never kept by a browser's disk cache or a shared proxy."""

import pytest
from django.urls import reverse

from apps.donations.models import Donation

pytestmark = pytest.mark.django_db

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}


def _donation_pk() -> int:
    return Donation.objects.order_by("pk").values_list("pk", flat=True).first()


STAFF_PAGES = {
    "admin index": lambda: (reverse("admin:index"), {}),
    "admin change list": lambda: (reverse("admin:donations_donation_changelist"), {}),
    "admin change form": lambda: (reverse("admin:donations_donation_change", args=[_donation_pk()]), {}),
    "admin export": lambda: (reverse("admin:export", args=["donations", "donation"]), {}),
    "change history": lambda: (
        reverse("admin:pghistory_events_changelist"),
        {"event_model": "donations.donationevent"},
    ),
    "a record's history": lambda: (reverse("admin:donations_donation_history", args=[_donation_pk()]), {}),
    "report page": lambda: (reverse("reports:summary"), REVIEW),
    "report spreadsheet": lambda: (reverse("reports:summary"), {**REVIEW, "format": "xlsx"}),
    "monitoring": lambda: (reverse("reports:monitoring"), {}),
    "monitoring spreadsheet": lambda: (reverse("reports:monitoring_export", args=["pledges"]), {}),
    "import": lambda: (reverse("imports:upload"), {}),
    "import template": lambda: (reverse("imports:template", args=["donations"]), {}),
}


@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_every_page_behind_the_login_is_private_and_not_stored(client, district_officer, page):
    client.force_login(district_officer)
    url, params = STAFF_PAGES[page]()
    response = client.get(url, params)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control


def test_a_public_page_seen_by_staff_is_private_too(client, district_officer):
    client.force_login(district_officer)
    cache_control = client.get(reverse("portal:communes"))["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control


def test_an_anonymous_public_page_keeps_its_own_caching(client):
    cache_control = client.get(reverse("portal:communes"))["Cache-Control"]
    assert "public" in cache_control and "no-store" not in cache_control
